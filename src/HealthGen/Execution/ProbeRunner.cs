using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Execution;

/// <summary>Runs the checks of one probe concurrently and collects their results in check order.</summary>
internal static class ProbeRunner
{
    public static ValueTask<CheckReports> RunAsync(CheckSlot[] slots, CancellationToken requestAborted)
        => RunAsync(slots, ProbeQuery.None, requestAborted);

    /// <summary>
    /// Starts every check before awaiting any, so the probe takes as long as its slowest check, not the sum of
    /// them (each slot answers within its own timeout). When every result is at hand at once (cache hits, inline
    /// checks) this completes synchronously and allocates nothing: the reports live in a pooled array.
    /// </summary>
    public static ValueTask<CheckReports> RunAsync(CheckSlot[] slots, ProbeQuery query, CancellationToken requestAborted)
    {
        if (slots.Length == 0)
        {
            return new ValueTask<CheckReports>(CheckReports.Empty);
        }

        CheckReport[] reports = ArrayPool<CheckReport>.Shared.Rent(slots.Length);
        ValueTask<CheckResult>[]? pending = null;
        long now = 0; // one clock read shared by the checks of this request (see CheckSlot.GetResultAsync)
        for (int i = 0; i < slots.Length; i++)
        {
            HealthCheckRegistration check = slots[i].Check;
            if (query.IsExcluded(check))
            {
                reports[i] = new CheckReport(check, default, Excluded: true);
                continue;
            }

            ValueTask<CheckResult> result = slots[i].GetResultAsync(ref now, requestAborted);
            if (result.IsCompletedSuccessfully)
            {
                reports[i] = new CheckReport(check, result.Result);
            }
            else
            {
                pending ??= ArrayPool<ValueTask<CheckResult>>.Shared.Rent(slots.Length);
                pending[i] = result;
                reports[i] = default; // filled in below
            }
        }

        return pending is null
            ? new ValueTask<CheckReports>(new CheckReports(reports, slots.Length, pooled: true))
            : AwaitPendingAsync(slots, reports, pending);
    }

    private static async ValueTask<CheckReports> AwaitPendingAsync(CheckSlot[] slots, CheckReport[] reports, ValueTask<CheckResult>[] pending)
    {
        try
        {
            for (int i = 0; i < slots.Length; i++)
            {
                if (reports[i].Check is null)
                {
                    reports[i] = new CheckReport(slots[i].Check, await pending[i].ConfigureAwait(false));
                }
            }
        }
        finally
        {
            ArrayPool<ValueTask<CheckResult>>.Shared.Return(pending, clearArray: true);
        }

        return new CheckReports(reports, slots.Length, pooled: true);
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

    public CheckReports(CheckReport[] items, int count, bool pooled = false)
    {
        _items = items;
        _count = count;
        _pooled = pooled;
    }

    public static CheckReports Empty => default;

    public ReadOnlySpan<CheckReport> Span => _items is null ? default : _items.AsSpan(0, _count);

    public int Count => _count;

    /// <summary>Whether every check that ran passed (excluded checks do not count).</summary>
    public bool AllPassed
    {
        get
        {
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

    /// <summary>Gives a pooled array back (cleared: results hold exceptions and descriptions).</summary>
    public void Return()
    {
        if (_pooled && _items is not null)
        {
            ArrayPool<CheckReport>.Shared.Return(_items, clearArray: true);
        }
    }
}
