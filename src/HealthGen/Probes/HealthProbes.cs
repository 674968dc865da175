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
    private static readonly ProbeAnswer Started = new(true, new ProbeResponse(ProbeWords.Started));

    private readonly ProbeChecks _liveness;
    private readonly ProbeChecks _readiness;
    private readonly ProbeChecks _startup;
    private readonly ProbeChecks _resolvers;
    private readonly StartupGate _gate;
    private readonly HashSet<string> _overallNames;
    private readonly CancellationToken _stopping;

    // Reports to answers, each with its probe's steady answer (a plain request, every check healthy at once) built once.
    private readonly Func<CheckReport[]?, ProbeQuery, ProbeAnswer> _livenessAnswer;
    private readonly Func<CheckReport[]?, ProbeQuery, ProbeAnswer> _readinessAnswer;
    private readonly Func<CheckReport[]?, ProbeQuery, ProbeAnswer> _resolversAnswer;

    public HealthProbes(HealthCheckSet checks, CheckExecutor executor, HealthGenOptions options, CancellationToken hostStarted, CancellationToken stopping)
    {
        _liveness = new ProbeChecks(SlotsFor(checks.Liveness, executor, options.LivenessCacheMs));
        _readiness = new ProbeChecks(SlotsFor(checks.Readiness, executor, options.ReadinessCacheMs));
        _startup = new ProbeChecks(SlotsFor(checks.Startup, executor, options.StartupCacheMs));
        _resolvers = new ProbeChecks(SlotsFor(checks.Resolvers, executor, options.ResolverCacheMs));
        _gate = new StartupGate(_startup, hostStarted);
        _overallNames = [.. _liveness.Names, .. _readiness.Names];
        _stopping = stopping;
        _livenessAnswer = AnswerWithSteady(LivenessAnswer, _liveness);
        _readinessAnswer = AnswerWithSteady(ReadinessAnswer, _readiness);
        _resolversAnswer = AnswerWithSteady(ResolversAnswer, _resolvers);
    }

    /// <summary>Every slot of every probe, for observers (logs, metrics).</summary>
    public IEnumerable<CheckSlot> AllSlots => [.. _liveness.Slots, .. _readiness.Slots, .. _startup.Slots, .. _resolvers.Slots];

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
    /// <remarks><c>?exclude</c> names of either probe apply here, so only names of neither are warned about.</remarks>
    public async ValueTask<ProbeAnswer> OverallAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        ProbeAnswer liveness = await LivenessAsync(query, requestAborted).ConfigureAwait(false);
        ProbeAnswer answer = liveness.Passed ? await ReadinessAsync(query, requestAborted).ConfigureAwait(false) : liveness;
        return answer.Body.Warnings is null ? answer : answer with { Body = answer.Body.WithWarnings(query.UnknownExclusions(_overallNames)) };
    }

    /// <summary>
    /// <c>{prefix}/{probe}/{check}</c>: one check, Kubernetes style. <see langword="null"/> when there is no such check
    /// (the endpoint answers 404 like any unknown path).
    /// </summary>
    public async ValueTask<ProbeAnswer?> SingleCheckAsync(ProbeKind probe, string? kind, string name, ProbeQuery query, CancellationToken requestAborted)
    {
        ProbeChecks checks = probe switch
        {
            ProbeKind.Liveness => _liveness,
            ProbeKind.Readiness => _readiness,
            ProbeKind.Startup => _startup,
            _ => _resolvers,
        };
        int index = Array.FindIndex(checks.Slots, slot => string.Equals(slot.Check.Name, name, StringComparison.Ordinal) && string.Equals(slot.Check.Kind, kind, StringComparison.Ordinal));
        if (index < 0)
        {
            return null;
        }

        var report = new CheckReport(checks.Slots[index].Check, await ProbeRunner.ResultOfAsync(checks, index).WaitAsync(requestAborted).ConfigureAwait(false));
        bool passed = report.Result.Passed || (probe == ProbeKind.Liveness && report.Result.IsUnchecked);
        return new ProbeAnswer(passed, new ProbeResponse(ProbeWords.For(report), [report], ResponseLayout.StatusOnly, query.Verbose));
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
        CheckReport[] live = WithHistory(_liveness, await liveness.ConfigureAwait(false));
        CheckReport[] ready = WithHistory(_readiness, await readiness.ConfigureAwait(false));
        CheckReport[] resolve = WithHistory(_resolvers, await resolvers.ConfigureAwait(false));

        bool stopping = _stopping.IsCancellationRequested;
        bool livePassed = AllPassed(live, uncheckedPasses: true);
        bool readyPassed = !stopping && started && AllPassed(ready);
        JsonWordsForDetails words = new(
            Overall: !livePassed ? ProbeWords.Fail : stopping ? ProbeWords.ShuttingDown : readyPassed ? ProbeWords.Ready : ProbeWords.NotReady,
            Liveness: livePassed ? ProbeWords.Ok : ProbeWords.Fail,
            Readiness: stopping ? ProbeWords.ShuttingDown : readyPassed ? ProbeWords.Ready : ProbeWords.NotReady,
            Startup: started ? ProbeWords.Started : ProbeWords.NotStarted,
            Resolvers: AllPassed(resolve) ? ProbeWords.Ready : ProbeWords.NotReady);
        return new DetailsResponse(words, live, ready, WithHistory(_startup, _gate.Reports(ProbeQuery.None)), resolve);
    }

    /// <summary>
    /// Whether every check that ran passed (excluded checks do not count). <paramref name="uncheckedPasses"/>: liveness,
    /// where a check without a result (a background check before its first run) restarts no pod, and a dependent not
    /// run because its dependency fails is covered by that dependency's failure.
    /// </summary>
    internal static bool AllPassed(ReadOnlySpan<CheckReport> reports, bool uncheckedPasses = false)
    {
        foreach (CheckReport report in reports)
        {
            if (!report.Excluded && !report.Result.Passed && !(uncheckedPasses && report.Result.IsUnchecked))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The details' reports, each with its check's latest transitions.</summary>
    private static CheckReport[] WithHistory(ProbeChecks checks, CheckReport[]? reports)
    {
        reports ??= [];
        for (int i = 0; i < reports.Length; i++)
        {
            reports[i] = reports[i] with { History = checks.Slots[i].History };
        }

        return reports;
    }

    /// <summary>The answer for collected reports, or, for none collected, the probe's steady answer (built here, once).</summary>
    private static Func<CheckReport[]?, ProbeQuery, ProbeAnswer> AnswerWithSteady(Func<CheckReport[], ProbeQuery, IReadOnlySet<string>, ProbeAnswer> answer, ProbeChecks checks)
    {
        ProbeAnswer steady = answer(checks.AllHealthy, ProbeQuery.None, checks.Names) with { IsSteady = true };
        return (reports, query) => reports is null ? steady : answer(reports, query, checks.Names);
    }

    private static ProbeAnswer LivenessAnswer(CheckReport[] reports, ProbeQuery query, IReadOnlySet<string> known)
    {
        bool passed = AllPassed(reports, uncheckedPasses: true);
        return new ProbeAnswer(passed, new ProbeResponse(passed ? ProbeWords.Ok : ProbeWords.Fail, reports, ResponseLayout.NotHealthyChecks, query.Verbose, query.UnknownExclusions(known)));
    }

    private static ProbeAnswer ReadinessAnswer(CheckReport[] reports, ProbeQuery query, IReadOnlySet<string> known)
    {
        bool passed = AllPassed(reports);
        return new ProbeAnswer(passed, new ProbeResponse(passed ? ProbeWords.Ready : ProbeWords.NotReady, reports, ResponseLayout.AllChecks, query.Verbose, query.UnknownExclusions(known)));
    }

    private static ProbeAnswer ResolversAnswer(CheckReport[] reports, ProbeQuery query, IReadOnlySet<string> known)
    {
        bool passed = AllPassed(reports);
        return new ProbeAnswer(passed, new ProbeResponse(passed ? ProbeWords.Ready : ProbeWords.NotReady, reports, ResponseLayout.GroupedByKind, query.Verbose, query.UnknownExclusions(known)));
    }

    /// <summary>
    /// Before the startup gate opens readiness does not run its checks: it lists them as unchecked (as privacyIDEA does,
    /// <c>{"status":"not ready","hsm":"unchecked"}</c>), or, when the gate has just opened, answers as usual.
    /// </summary>
    private async ValueTask<ProbeAnswer> ReadinessBeforeStartAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        if (await _gate.IsStartedAsync(requestAborted).ConfigureAwait(false))
        {
            return await ProbeRunner.RunAsync(_readiness, query, requestAborted, _readinessAnswer).ConfigureAwait(false);
        }

        CheckReport[] reports = Array.ConvertAll(_readiness.Slots, slot => query.IsExcluded(slot.Check)
            ? new CheckReport(slot.Check, default, Excluded: true)
            : new CheckReport(slot.Check, NotStartedYet));
        return new ProbeAnswer(false, new ProbeResponse(ProbeWords.NotReady, reports, ResponseLayout.AllChecks, query.Verbose, query.UnknownExclusions(_readiness.Names)));
    }

    private static readonly CheckResult NotStartedYet = CheckResult.NotRun("not run: the application has not started yet (the startup gate is closed)");

    private async ValueTask<ProbeAnswer> StartupWithChecksAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        bool started = await _gate.IsStartedAsync(requestAborted).ConfigureAwait(false);
        CheckReport[] reports = query.Verbose ? _gate.Reports(query) : [];
        return new ProbeAnswer(started, new ProbeResponse(started ? ProbeWords.Started : ProbeWords.NotStarted, reports, ResponseLayout.StatusOnly, query.Verbose));
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
