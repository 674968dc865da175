using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Serialization;

namespace HealthGen.Execution;

/// <summary>A probe's answer: pass (HTTP 200) or not (503), and the body.</summary>
internal readonly record struct ProbeAnswer(bool Passed, ProbeResponse Body);

/// <summary>
/// The probes of one <c>MapHealthGen</c>, independent of HTTP: what each probe runs and how its results
/// become an answer (design.md §4). The HTTP endpoints and the exec probe only translate.
/// </summary>
internal sealed class HealthProbes
{
    private readonly ProbeChecks _liveness;
    private readonly ProbeChecks _readiness;
    private readonly CheckSlot[] _startup;
    private readonly ProbeChecks _resolvers;
    private readonly StartupGate _gate;
    private readonly CancellationToken _stopping;

    // The answers of a plain request when every check is healthy at once, built once: the common answer copies them.
    private readonly ValueTask<ProbeAnswer> _livenessSteady;
    private readonly ValueTask<ProbeAnswer> _readinessSteady;

    private static readonly ValueTask<ProbeAnswer> StartedAnswer = new(new ProbeAnswer(true, new ProbeResponse(ProbeWords.Started)));

    public HealthProbes(HealthCheckSet checks, CheckExecutor executor, HealthGenOptions options, TimeProvider time, CancellationToken hostStarted, CancellationToken stopping)
    {
        _liveness = new ProbeChecks(SlotsFor(checks.Liveness, executor, time, options.LivenessCacheMs));
        _readiness = new ProbeChecks(SlotsFor(checks.Readiness, executor, time, options.ReadinessCacheMs));
        _startup = SlotsFor(checks.Startup, executor, time, options.StartupCacheMs);
        _resolvers = new ProbeChecks(SlotsFor(checks.Resolvers, executor, time, options.ResolverCacheMs));
        _gate = new StartupGate(_startup, hostStarted);
        _stopping = stopping;
        _livenessSteady = new ValueTask<ProbeAnswer>(LivenessAnswer(_liveness.AllHealthy, ProbeQuery.None));
        _readinessSteady = new ValueTask<ProbeAnswer>(ReadinessAnswer(_readiness.AllHealthy, ProbeQuery.None));
    }

    /// <summary>Every slot of every probe, for observers (logs, metrics).</summary>
    public IEnumerable<CheckSlot> AllSlots => [.. _liveness.Slots, .. _readiness.Slots, .. _startup, .. _resolvers.Slots];

    // The probes answer synchronously when their checks do (cache hits, inline checks): no state machine runs
    // unless a check is pending. Liveness and readiness spell out the same steps rather than share a helper: as one
    // more (generic) call it measured 5-10 % slower on the liveness logic, which is the path this class is for.

    /// <summary><c>{prefix}/livez</c>: the liveness checks only.</summary>
    public ValueTask<ProbeAnswer> LivenessAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        if (!query.IsPlain)
        {
            return ProbeRunner.RunAsync(_liveness, query, requestAborted, LivenessAnswerOf);
        }

        long now = 0;
        return ProbeRunner.AreAllHealthyAtOnce(_liveness, ref now, out int first, out CheckResult? ran)
            ? _livenessSteady
            : ProbeRunner.Continue(_liveness, first, ran, ref now, requestAborted, LivenessAnswerOf);
    }

    /// <summary><c>{prefix}/readyz</c>: shutting down → 503; not started → 503; else the readiness checks.</summary>
    public ValueTask<ProbeAnswer> ReadinessAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        if (_stopping.IsCancellationRequested)
        {
            return new ValueTask<ProbeAnswer>(new ProbeAnswer(false, new ProbeResponse(ProbeWords.ShuttingDown)));
        }

        if (!_gate.IsOpen)
        {
            return ReadinessBeforeStartAsync(query, requestAborted);
        }

        if (!query.IsPlain)
        {
            return ProbeRunner.RunAsync(_readiness, query, requestAborted, ReadinessAnswerOf);
        }

        long now = 0;
        return ProbeRunner.AreAllHealthyAtOnce(_readiness, ref now, out int first, out CheckResult? ran)
            ? _readinessSteady
            : ProbeRunner.Continue(_readiness, first, ran, ref now, requestAborted, ReadinessAnswerOf);
    }

    private static readonly Func<CheckReports, ProbeQuery, ProbeAnswer> LivenessAnswerOf = LivenessAnswer;

    private static readonly Func<CheckReports, ProbeQuery, ProbeAnswer> ReadinessAnswerOf = ReadinessAnswer;

    private static ProbeAnswer LivenessAnswer(CheckReports reports, ProbeQuery query)
    {
        bool passed = reports.AllPassed;
        return new ProbeAnswer(passed, new ProbeResponse(passed ? ProbeWords.Ok : ProbeWords.Fail, reports, ResponseLayout.NotHealthyChecks, query.Verbose));
    }

    private static ProbeAnswer ReadinessAnswer(CheckReports reports, ProbeQuery query)
    {
        bool passed = reports.AllPassed;
        return new ProbeAnswer(passed, new ProbeResponse(passed ? ProbeWords.Ready : ProbeWords.NotReady, reports, ResponseLayout.AllChecks, query.Verbose));
    }

    private async ValueTask<ProbeAnswer> ReadinessBeforeStartAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        if (!await _gate.IsStartedAsync(requestAborted).ConfigureAwait(false))
        {
            return new ProbeAnswer(false, new ProbeResponse(ProbeWords.NotReady));
        }

        return await ProbeRunner.RunAsync(_readiness, query, requestAborted, ReadinessAnswerOf).ConfigureAwait(false);
    }

    /// <summary><c>{prefix}/startupz</c>: host started and every startup check passed once.</summary>
    public ValueTask<ProbeAnswer> StartupAsync(ProbeQuery query, CancellationToken requestAborted)
        => _gate.IsOpen && !query.Verbose ? StartedAnswer : StartupWithChecksAsync(query, requestAborted);

    private async ValueTask<ProbeAnswer> StartupWithChecksAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        bool started = await _gate.IsStartedAsync(requestAborted).ConfigureAwait(false);
        CheckReports reports = query.Verbose ? CheckReports.Of(_gate.Reports(query)) : CheckReports.Empty;
        return new ProbeAnswer(started, new ProbeResponse(started ? ProbeWords.Started : ProbeWords.NotStarted, reports, ResponseLayout.StatusOnly, query.Verbose));
    }

    /// <summary><c>{prefix}/resolversz</c>: the resolver checks, grouped by kind.</summary>
    public async ValueTask<ProbeAnswer> ResolversAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        CheckReports reports = await ProbeRunner.RunAsync(_resolvers, query, requestAborted).ConfigureAwait(false);
        bool passed = reports.AllPassed;
        return new ProbeAnswer(passed, new ProbeResponse(passed ? ProbeWords.Ready : ProbeWords.NotReady, reports, ResponseLayout.GroupedByKind, query.Verbose));
    }

    /// <summary><c>{prefix}</c>: liveness first; if it fails its answer, else readiness's.</summary>
    public async ValueTask<ProbeAnswer> OverallAsync(ProbeQuery query, CancellationToken requestAborted)
    {
        ProbeAnswer liveness = await LivenessAsync(query, requestAborted).ConfigureAwait(false);
        if (!liveness.Passed)
        {
            return liveness;
        }

        liveness.Body.ReturnChecks();
        return await ReadinessAsync(query, requestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>{prefix}/{probe}/{check}</c>: one check, Kubernetes style. <see langword="null"/> when there is no
    /// such check (the endpoint answers 404 like any unknown path).
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

        CheckResult result = await slot.GetResultAsync(requestAborted).ConfigureAwait(false);
        var report = new CheckReport(slot.Check, result);
        return new ProbeAnswer(result.Passed, new ProbeResponse(ProbeWords.For(result.Status), CheckReports.Of([report]), ResponseLayout.StatusOnly, query.Verbose));
    }

    /// <summary>
    /// <c>{prefix}/details</c>: every probe with every check's result, description and error, for operators
    /// holding the details token. Readiness checks run even before start-up, so operators see why.
    /// </summary>
    public async Task<DetailsResponse> DetailsAsync(CancellationToken requestAborted)
    {
        ValueTask<CheckReports> liveness = ProbeRunner.RunEachAsync(_liveness, requestAborted);
        ValueTask<CheckReports> readiness = ProbeRunner.RunEachAsync(_readiness, requestAborted);
        ValueTask<CheckReports> resolvers = ProbeRunner.RunEachAsync(_resolvers, requestAborted);
        bool started = await _gate.IsStartedAsync(requestAborted).ConfigureAwait(false);
        CheckReport[] live = Detach(await liveness.ConfigureAwait(false));
        CheckReport[] ready = Detach(await readiness.ConfigureAwait(false));
        CheckReport[] resolve = Detach(await resolvers.ConfigureAwait(false));

        bool livePassed = CheckReports.Of(live).AllPassed;
        bool readyPassed = !_stopping.IsCancellationRequested && started && CheckReports.Of(ready).AllPassed;
        JsonWordsForDetails words = new(
            Overall: !livePassed ? ProbeWords.Fail : _stopping.IsCancellationRequested ? ProbeWords.ShuttingDown : readyPassed ? ProbeWords.Ready : ProbeWords.NotReady,
            Liveness: livePassed ? ProbeWords.Ok : ProbeWords.Fail,
            Readiness: _stopping.IsCancellationRequested ? ProbeWords.ShuttingDown : readyPassed ? ProbeWords.Ready : ProbeWords.NotReady,
            Startup: started ? ProbeWords.Started : ProbeWords.NotStarted,
            Resolvers: CheckReports.Of(resolve).AllPassed ? ProbeWords.Ready : ProbeWords.NotReady);
        return new DetailsResponse(words, live, ready, _gate.Reports(ProbeQuery.None), resolve);
    }

    /// <summary>Copies pooled reports into an array of their own (the details response keeps them) and returns the pooled one.</summary>
    private static CheckReport[] Detach(CheckReports reports)
    {
        CheckReport[] copy = reports.ToArray();
        reports.Return();
        return copy;
    }

    private static CheckSlot? Find(CheckSlot[] slots, string? kind, string name)
    {
        foreach (CheckSlot slot in slots)
        {
            if (string.Equals(slot.Check.Name, name, StringComparison.Ordinal)
                && string.Equals(slot.Check.Kind, kind, StringComparison.Ordinal))
            {
                return slot;
            }
        }

        return null;
    }

    private static CheckSlot[] SlotsFor(IReadOnlyList<HealthCheckRegistration> checks, CheckExecutor executor, TimeProvider time, int defaultCacheMs)
    {
        var slots = new CheckSlot[checks.Count];
        for (int i = 0; i < slots.Length; i++)
        {
            int cacheMs = checks[i].CacheMs == HealthCheckRegistration.UseDefault ? defaultCacheMs : checks[i].CacheMs;
            slots[i] = new CheckSlot(checks[i], executor, time, TimeSpan.FromMilliseconds(cacheMs));
        }

        return slots;
    }
}
