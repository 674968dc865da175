using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Serialization;

namespace HealthGen.Probes;

/// <summary>
/// The probes of one <c>MapHealthGen</c>, independent of HTTP: what each probe runs and how its results become an
/// answer (docs/probes.md). The HTTP endpoints, the file probe and the exec probe only translate.
/// </summary>
internal sealed class HealthProbes
{
    private static readonly ProbeAnswer ShuttingDown = new(false, new ProbeResponse(ProbeWords.ShuttingDown));
    private static readonly ProbeAnswer NotStarted = new(false, new ProbeResponse(ProbeWords.NotReady));
    private static readonly ProbeAnswer Started = new(true, new ProbeResponse(ProbeWords.Started));

    private readonly ProbeChecks _liveness;
    private readonly ProbeChecks _readiness;
    private readonly CheckSlot[] _startup;
    private readonly ProbeChecks _resolvers;
    private readonly StartupGate _gate;
    private readonly CancellationToken _stopping;

    // Reports to answers, each with its probe's steady answer (a plain request, every check healthy at once) built once.
    private readonly Func<CheckReport[]?, ProbeQuery, ProbeAnswer> _livenessAnswer;
    private readonly Func<CheckReport[]?, ProbeQuery, ProbeAnswer> _readinessAnswer;
    private readonly Func<CheckReport[]?, ProbeQuery, ProbeAnswer> _resolversAnswer;

    public HealthProbes(HealthCheckSet checks, CheckExecutor executor, HealthGenOptions options, CancellationToken hostStarted, CancellationToken stopping)
    {
        _liveness = new ProbeChecks(SlotsFor(checks.Liveness, executor, options.LivenessCacheMs));
        _readiness = new ProbeChecks(SlotsFor(checks.Readiness, executor, options.ReadinessCacheMs));
        _startup = SlotsFor(checks.Startup, executor, options.StartupCacheMs);
        _resolvers = new ProbeChecks(SlotsFor(checks.Resolvers, executor, options.ResolverCacheMs));
        _gate = new StartupGate(_startup, hostStarted);
        _stopping = stopping;
        _livenessAnswer = AnswerWithSteady(LivenessAnswer, _liveness);
        _readinessAnswer = AnswerWithSteady(ReadinessAnswer, _readiness);
        _resolversAnswer = AnswerWithSteady(ResolversAnswer, _resolvers);
    }

    /// <summary>Every slot of every probe, for observers (logs, metrics).</summary>
    public IEnumerable<CheckSlot> AllSlots => [.. _liveness.Slots, .. _readiness.Slots, .. _startup, .. _resolvers.Slots];

    /// <summary><c>{prefix}/livez</c>: the liveness checks only.</summary>
    public ValueTask<ProbeAnswer> LivenessAsync(ProbeQuery query, CancellationToken requestAborted)
        => ProbeRunner.RunAsync(_liveness, query, requestAborted, _livenessAnswer);

    /// <summary><c>{prefix}/readyz</c>: shutting down → 503; not started → 503; else the readiness checks.</summary>
    public ValueTask<ProbeAnswer> ReadinessAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        if (_stopping.IsCancellationRequested)
        {
            return new ValueTask<ProbeAnswer>(ShuttingDown);
        }

        return _gate.IsOpen
            ? ProbeRunner.RunAsync(_readiness, query, requestAborted, _readinessAnswer)
            : ReadinessBeforeStartAsync(query, requestAborted);
    }

    /// <summary><c>{prefix}/startupz</c>: host started and every startup check passed once.</summary>
    public ValueTask<ProbeAnswer> StartupAsync(ProbeQuery query, CancellationToken requestAborted)
        => _gate.IsOpen && !query.Verbose ? new ValueTask<ProbeAnswer>(Started) : StartupWithChecksAsync(query, requestAborted);

    /// <summary><c>{prefix}/resolversz</c>: the resolver checks, grouped by kind.</summary>
    public ValueTask<ProbeAnswer> ResolversAsync(ProbeQuery query, CancellationToken requestAborted)
        => ProbeRunner.RunAsync(_resolvers, query, requestAborted, _resolversAnswer);

    /// <summary><c>{prefix}</c>: liveness first; if it fails its answer, else readiness's.</summary>
    public async ValueTask<ProbeAnswer> OverallAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        ProbeAnswer liveness = await LivenessAsync(query, requestAborted).ConfigureAwait(false);
        return liveness.Passed ? await ReadinessAsync(query, requestAborted).ConfigureAwait(false) : liveness;
    }

    /// <summary>
    /// <c>{prefix}/{probe}/{check}</c>: one check, Kubernetes style. <see langword="null"/> when there is no such check
    /// (the endpoint answers 404 like any unknown path).
    /// </summary>
    public async ValueTask<ProbeAnswer?> SingleCheckAsync(ProbeKind probe, string? kind, string name, ProbeQuery query, CancellationToken requestAborted)
    {
        CheckSlot? slot = Find(probe switch
        {
            ProbeKind.Liveness => _liveness.Slots,
            ProbeKind.Readiness => _readiness.Slots,
            ProbeKind.Startup => _startup,
            _ => _resolvers.Slots,
        }, kind, name);
        if (slot is null)
        {
            return null;
        }

        CheckResult result = await slot.GetResultAsync().AsTask().WaitAsync(requestAborted).ConfigureAwait(false);
        return new ProbeAnswer(result.Passed, new ProbeResponse(ProbeWords.For(result.Status), [new CheckReport(slot.Check, result)], ResponseLayout.StatusOnly, query.Verbose));
    }

    /// <summary>
    /// <c>{prefix}/details</c>: every probe with every check's result, description and error, for operators holding
    /// the details token. Readiness checks run even before start-up, so operators see why.
    /// </summary>
    public async Task<DetailsResponse> DetailsAsync(CancellationToken requestAborted)
    {
        ValueTask<CheckReport[]?> liveness = ProbeRunner.RunAsync(_liveness, ProbeQuery.EveryResult, requestAborted);
        ValueTask<CheckReport[]?> readiness = ProbeRunner.RunAsync(_readiness, ProbeQuery.EveryResult, requestAborted);
        ValueTask<CheckReport[]?> resolvers = ProbeRunner.RunAsync(_resolvers, ProbeQuery.EveryResult, requestAborted);
        bool started = await _gate.IsStartedAsync(requestAborted).ConfigureAwait(false);
        CheckReport[] live = await liveness.ConfigureAwait(false) ?? [];
        CheckReport[] ready = await readiness.ConfigureAwait(false) ?? [];
        CheckReport[] resolve = await resolvers.ConfigureAwait(false) ?? [];

        bool stopping = _stopping.IsCancellationRequested;
        bool livePassed = AllPassed(live);
        bool readyPassed = !stopping && started && AllPassed(ready);
        JsonWordsForDetails words = new(
            Overall: !livePassed ? ProbeWords.Fail : stopping ? ProbeWords.ShuttingDown : readyPassed ? ProbeWords.Ready : ProbeWords.NotReady,
            Liveness: livePassed ? ProbeWords.Ok : ProbeWords.Fail,
            Readiness: stopping ? ProbeWords.ShuttingDown : readyPassed ? ProbeWords.Ready : ProbeWords.NotReady,
            Startup: started ? ProbeWords.Started : ProbeWords.NotStarted,
            Resolvers: AllPassed(resolve) ? ProbeWords.Ready : ProbeWords.NotReady);
        return new DetailsResponse(words, live, ready, _gate.Reports(ProbeQuery.None), resolve);
    }

    /// <summary>Whether every check that ran passed (excluded checks do not count).</summary>
    internal static bool AllPassed(ReadOnlySpan<CheckReport> reports)
    {
        foreach (CheckReport report in reports)
        {
            if (!report.Excluded && !report.Result.Passed)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The answer for collected reports, or, for none collected, the probe's steady answer (built here, once).</summary>
    private static Func<CheckReport[]?, ProbeQuery, ProbeAnswer> AnswerWithSteady(Func<CheckReport[], ProbeQuery, ProbeAnswer> answer, ProbeChecks checks)
    {
        ProbeAnswer steady = answer(checks.AllHealthy, ProbeQuery.None) with { IsSteady = true };
        return (reports, query) => reports is null ? steady : answer(reports, query);
    }

    private static ProbeAnswer LivenessAnswer(CheckReport[] reports, ProbeQuery query)
    {
        bool passed = AllPassed(reports);
        return new ProbeAnswer(passed, new ProbeResponse(passed ? ProbeWords.Ok : ProbeWords.Fail, reports, ResponseLayout.NotHealthyChecks, query.Verbose));
    }

    private static ProbeAnswer ReadinessAnswer(CheckReport[] reports, ProbeQuery query)
    {
        bool passed = AllPassed(reports);
        return new ProbeAnswer(passed, new ProbeResponse(passed ? ProbeWords.Ready : ProbeWords.NotReady, reports, ResponseLayout.AllChecks, query.Verbose));
    }

    private static ProbeAnswer ResolversAnswer(CheckReport[] reports, ProbeQuery query)
    {
        bool passed = AllPassed(reports);
        return new ProbeAnswer(passed, new ProbeResponse(passed ? ProbeWords.Ready : ProbeWords.NotReady, reports, ResponseLayout.GroupedByKind, query.Verbose));
    }

    private async ValueTask<ProbeAnswer> ReadinessBeforeStartAsync(ProbeQuery query, CancellationToken requestAborted)
        => await _gate.IsStartedAsync(requestAborted).ConfigureAwait(false)
            ? await ProbeRunner.RunAsync(_readiness, query, requestAborted, _readinessAnswer).ConfigureAwait(false)
            : NotStarted;

    private async ValueTask<ProbeAnswer> StartupWithChecksAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        bool started = await _gate.IsStartedAsync(requestAborted).ConfigureAwait(false);
        CheckReport[] reports = query.Verbose ? _gate.Reports(query) : [];
        return new ProbeAnswer(started, new ProbeResponse(started ? ProbeWords.Started : ProbeWords.NotStarted, reports, ResponseLayout.StatusOnly, query.Verbose));
    }

    private static CheckSlot? Find(CheckSlot[] slots, string? kind, string name)
    {
        foreach (CheckSlot slot in slots)
        {
            if (string.Equals(slot.Check.Name, name, StringComparison.Ordinal) && string.Equals(slot.Check.Kind, kind, StringComparison.Ordinal))
            {
                return slot;
            }
        }

        return null;
    }

    private static CheckSlot[] SlotsFor(IReadOnlyList<HealthCheckRegistration> checks, CheckExecutor executor, int defaultCacheMs)
    {
        var slots = new CheckSlot[checks.Count];
        for (int i = 0; i < slots.Length; i++)
        {
            int cacheMs = checks[i].CacheMs == HealthCheckRegistration.UseDefault ? defaultCacheMs : checks[i].CacheMs;
            slots[i] = new CheckSlot(checks[i], executor, TimeSpan.FromMilliseconds(cacheMs));
        }

        return slots;
    }
}
