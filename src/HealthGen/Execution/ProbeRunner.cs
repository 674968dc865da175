using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Execution;

/// <summary>
/// The checks of one probe, and the reports of the answer it gives almost always: every check healthy. Those
/// reports are built once; a plain probe (no query options) whose checks are all healthy answers with them
/// instead of collecting reports of its own, so the common answer collects nothing.
/// </summary>
internal sealed class ProbeChecks
{
    public ProbeChecks(CheckSlot[] slots)
    {
        Slots = slots;
        var healthy = new CheckReport[slots.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            healthy[i] = new CheckReport(slots[i].Check, new CheckResult(HealthResult.Healthy(), CheckFailure.None, TimeSpan.Zero));
        }

        AllHealthy = new CheckReports(healthy, healthy.Length, pooled: false, allHealthy: true);
    }

    public CheckSlot[] Slots { get; }

    // A PendingProbe<TAnswer> kept for the next probe that has to wait (one at a time; a second concurrent one makes its own).
    private object? _sparePending;

    /// <summary>A <see cref="PendingProbe{TAnswer}"/> for this probe's checks: the spare one, or a new one.</summary>
    public PendingProbe<TAnswer> RentPending<TAnswer>()
        => Volatile.Read(ref _sparePending) is PendingProbe<TAnswer> spare && Interlocked.CompareExchange(ref _sparePending, null, spare) == spare
            ? spare
            : new PendingProbe<TAnswer>(this);

    /// <summary>Keeps <paramref name="pending"/> (its answer has been read) for the next probe that has to wait.</summary>
    public void ReturnPending(object pending) => Volatile.Write(ref _sparePending, pending);

    /// <summary>
    /// Every check as healthy: what a plain body shows when every check is. A plain body shows a healthy check as
    /// "OK" (or not at all) whatever its duration, description or caching, so these stand for any healthy results.
    /// </summary>
    public CheckReports AllHealthy { get; }
}

/// <summary>Runs the checks of one probe concurrently and collects their results in check order.</summary>
internal static class ProbeRunner
{
    /// <summary>
    /// Starts every check before awaiting any, so the probe takes as long as its slowest check, not the sum of
    /// them (each slot answers within its own timeout). When every result is at hand at once (cache hits, inline
    /// checks) this completes synchronously and allocates nothing; when, besides, the query is plain and every
    /// check is healthy, it answers <see cref="ProbeChecks.AllHealthy"/> without collecting reports.
    /// </summary>
    public static ValueTask<CheckReports> RunAsync(ProbeChecks checks, ProbeQuery query, CancellationToken requestAborted)
        => RunAsync(checks, query, requestAborted, AsReports);

    /// <summary>As <see cref="RunAsync(ProbeChecks, ProbeQuery, CancellationToken)"/>, turning the reports into the probe's answer.</summary>
    /// <remarks>
    /// The answer is made where the last pending result arrives (<see cref="PendingProbe{TAnswer}"/>), not by a caller
    /// that awaits the reports: a probe that waits costs one pooled completion source, not a second state machine.
    /// </remarks>
    public static ValueTask<TAnswer> RunAsync<TAnswer>(ProbeChecks checks, ProbeQuery query, CancellationToken requestAborted, Func<CheckReports, ProbeQuery, TAnswer> answer)
    {
        long now = 0; // one clock read shared by the checks of this request (see CheckSlot.GetResultAsync)
        if (!query.IsPlain)
        {
            return Collect(checks, query, default, ran: null, ref now, requestAborted, answer);
        }

        return AreAllHealthyAtOnce(checks, ref now, out int first, out CheckResult? ran)
            ? new ValueTask<TAnswer>(answer(checks.AllHealthy, query))
            : Continue(checks, first, ran, ref now, requestAborted, answer);
    }

    /// <summary>
    /// The plain answer's fast path: asks each check in order whether it is healthy at once (a fresh healthy cache hit,
    /// or an inline check run here). <see langword="true"/> when every one is: the answer is the probe's steady one
    /// and nothing was collected. Otherwise <paramref name="first"/> is the first check that was not, and
    /// <paramref name="ran"/> its result if it ran here; <see cref="Continue"/> takes it from there.
    /// </summary>
    public static bool AreAllHealthyAtOnce(ProbeChecks checks, ref long now, out int first, out CheckResult? ran)
    {
        CheckSlot[] slots = checks.Slots;
        ran = null;
        for (first = 0; first < slots.Length; first++)
        {
            CheckSlot.AtOnce atOnce = slots[first].TryHealthyAtOnce(ref now, out CheckResult result);
            if (atOnce == CheckSlot.AtOnce.Healthy)
            {
                continue; // a healthy cache hit or inline execution: nothing to collect
            }

            if (atOnce == CheckSlot.AtOnce.Ran)
            {
                ran = result;
            }

            return false; // not healthy, or to be asked (and perhaps waited for) by Collect
        }

        return true;
    }

    /// <summary>A plain answer after <see cref="AreAllHealthyAtOnce"/> said no: the checks before <paramref name="first"/>
    /// were healthy (the plain body shows them as the AllHealthy reports do); the rest are collected.</summary>
    public static ValueTask<TAnswer> Continue<TAnswer>(
        ProbeChecks checks, int first, CheckResult? ran, ref long now, CancellationToken requestAborted, Func<CheckReports, ProbeQuery, TAnswer> answer)
        => Collect(checks, ProbeQuery.None, checks.AllHealthy.Span[..first], ran, ref now, requestAborted, answer, checks.AllHealthy);

    /// <summary>Every check's own result, for the details endpoint (descriptions, durations, errors).</summary>
    public static ValueTask<CheckReports> RunEachAsync(ProbeChecks checks, CancellationToken requestAborted)
    {
        long now = 0;
        return Collect(checks, ProbeQuery.None, default, ran: null, ref now, requestAborted, AsReports);
    }

    private static readonly Func<CheckReports, ProbeQuery, CheckReports> AsReports = static (reports, _) => reports;

    /// <param name="checks">The probe's checks.</param>
    /// <param name="query">Which checks are excluded.</param>
    /// <param name="healthyBefore">Reports for the first checks, already known healthy; the next check's result is <paramref name="ran"/> if it ran already.</param>
    /// <param name="ran">The result of the check after <paramref name="healthyBefore"/> if it ran already.</param>
    /// <param name="now">The request's clock read (see <see cref="CheckSlot.GetResultAsync(ref long, CancellationToken)"/>).</param>
    /// <param name="requestAborted">Stops the waits.</param>
    /// <param name="answer">Makes the answer from the reports.</param>
    /// <param name="allHealthy">
    /// For a plain answer, the probe's <see cref="ProbeChecks.AllHealthy"/> reports: if every collected result is healthy
    /// after all, the answer is made from them (the steady answer, whose body is serialized once) and the collected
    /// reports go back to the pool.
    /// </param>
    private static ValueTask<TAnswer> Collect<TAnswer>(
        ProbeChecks checks, ProbeQuery query, ReadOnlySpan<CheckReport> healthyBefore, CheckResult? ran, ref long now, CancellationToken requestAborted,
        Func<CheckReports, ProbeQuery, TAnswer> answer, CheckReports? allHealthy = null)
    {
        CheckSlot[] slots = checks.Slots;
        if (slots.Length == 0)
        {
            return new ValueTask<TAnswer>(answer(CheckReports.Empty, query));
        }

        CheckReport[] reports = ArrayPool<CheckReport>.Shared.Rent(slots.Length);
        healthyBefore.CopyTo(reports);
        PendingProbe<TAnswer>? pending = null;
        var start = default(ExecutionStart); // one precise read for the isolated executions this probe starts
        int notComing = 0; // checks since pending began (Begin resets it) whose results were at hand: they will not come
        for (int i = healthyBefore.Length; i < slots.Length; i++)
        {
            CheckSlot slot = slots[i];
            HealthCheckRegistration check = slot.Check;
            if (query.IsExcluded(check))
            {
                reports[i] = new CheckReport(check, default, Excluded: true);
                notComing++;
                continue;
            }

            if (i == healthyBefore.Length && ran is { } result)
            {
                reports[i] = new CheckReport(check, result);
                notComing++;
                continue;
            }

            if (check.Invocation == CheckInvocation.Inline)
            {
                ValueTask<CheckResult> asked = slot.GetResultAsync(ref now, requestAborted);
                if (asked.IsCompletedSuccessfully)
                {
                    reports[i] = new CheckReport(check, asked.Result);
                    notComing++;
                    continue;
                }

                pending ??= Begin(checks, reports, slots.Length - i, query, answer, allHealthy, requestAborted, ref notComing);
                reports[i] = default; // filled in when it comes
                pending.Await(i, asked); // another request is running it: join that execution
                continue;
            }

            if (slot.TryGetCached(ref now, out CheckResult cached))
            {
                reports[i] = new CheckReport(check, cached); // no lock, and no pending probe for it
                notComing++;
                continue;
            }

            reports[i] = default; // filled in when it comes (by the pending probe)
            pending ??= Begin(checks, reports, slots.Length - i, query, answer, allHealthy, requestAborted, ref notComing);
            if (slot.TryGetOrSubscribe(ref now, ref start, pending, i, out CheckResult atHand))
            {
                reports[i] = new CheckReport(check, atHand);
                notComing++;
            }
        }

        return pending is null
            ? new ValueTask<TAnswer>(answer(Collected(reports, slots.Length, allHealthy), query))
            : pending.Asked(notComing);
    }

    /// <summary>The first check that has to be waited for: a pending probe takes over the rest of the checks.</summary>
    private static PendingProbe<TAnswer> Begin<TAnswer>(
        ProbeChecks checks, CheckReport[] reports, int expected, ProbeQuery query, Func<CheckReports, ProbeQuery, TAnswer> answer, CheckReports? allHealthy,
        CancellationToken requestAborted, ref int notComing)
    {
        PendingProbe<TAnswer> pending = checks.RentPending<TAnswer>();
        pending.Begin(reports, expected, query, answer, allHealthy, requestAborted);
        notComing = 0;
        return pending;
    }

    /// <summary>The collected reports, or <paramref name="allHealthy"/> (giving them back) when there is one and every result is healthy.</summary>
    internal static CheckReports Collected(CheckReport[] reports, int count, CheckReports? allHealthy)
    {
        var collected = new CheckReports(reports, count, pooled: true);
        if (allHealthy is not { } steady)
        {
            return collected;
        }

        foreach (CheckReport report in collected)
        {
            if (report.Result.Status != HealthStatus.Healthy)
            {
                return collected;
            }
        }

        collected.Return();
        return steady;
    }
}

/// <summary>A check and its result, as a response lists it; an excluded check did not run.</summary>
internal readonly record struct CheckReport(HealthCheckRegistration Check, CheckResult Result, bool Excluded = false);

/// <summary>
/// The reports of one probe, in check order, possibly in an array rented from <see cref="ArrayPool{T}.Shared"/>:
/// whoever finishes with them last calls <see cref="Return"/> once (forgetting to only costs the reuse).
/// </summary>
[CollectionBuilder(typeof(CheckReports), nameof(Create))]
internal readonly struct CheckReports
{
    private readonly CheckReport[]? _items;
    private readonly int _count;
    private readonly bool _pooled;
    private readonly bool _allHealthy;

    public CheckReports(CheckReport[] items, int count, bool pooled = false, bool allHealthy = false)
    {
        _items = items;
        _count = count;
        _pooled = pooled;
        _allHealthy = allHealthy;
    }

    /// <summary>These are a probe's <see cref="ProbeChecks.AllHealthy"/> reports: every check healthy, none excluded.</summary>
    public bool IsAllHealthy => _allHealthy;

    public static CheckReports Empty => default;

    public ReadOnlySpan<CheckReport> Span => _items is null ? default : _items.AsSpan(0, _count);

    public int Count => _count;

    /// <summary>Whether every check that ran passed (excluded checks do not count).</summary>
    public bool AllPassed
    {
        get
        {
            if (_allHealthy)
            {
                return true;
            }

            foreach (CheckReport report in Span)
            {
                if (!report.Excluded && !report.Result.Passed)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public static CheckReports Of(CheckReport[] items) => new(items, items.Length);

    public static CheckReports Create(ReadOnlySpan<CheckReport> items) => Of(items.ToArray());

    public static implicit operator CheckReports(CheckReport[] items) => Of(items);

    public ReadOnlySpan<CheckReport>.Enumerator GetEnumerator() => Span.GetEnumerator();

    public CheckReport[] ToArray() => Span.ToArray();

    /// <summary>Gives a pooled array back, cleared (results hold exceptions and descriptions) as far as it was used.</summary>
    public void Return()
    {
        if (_pooled && _items is not null)
        {
            Array.Clear(_items, 0, _count);
            ArrayPool<CheckReport>.Shared.Return(_items);
        }
    }
}
