using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Execution;

/// <summary>Runs the checks of one probe concurrently and collects their results in check order.</summary>
internal static class ProbeRunner
{
    public static Task<CheckReport[]> RunAsync(CheckSlot[] slots, CancellationToken requestAborted)
        => RunAsync(slots, ProbeQuery.None, requestAborted);

    public static async Task<CheckReport[]> RunAsync(CheckSlot[] slots, ProbeQuery query, CancellationToken requestAborted)
    {
        if (slots.Length == 0)
        {
            return [];
        }

        // Start every check before awaiting any, so the probe takes as long as its slowest check,
        // not the sum of them. Each slot answers within its own timeout.
        var running = new Task<CheckResult>?[slots.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            running[i] = query.IsExcluded(slots[i].Check) ? null : slots[i].GetResultAsync(requestAborted);
        }

        var reports = new CheckReport[slots.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            reports[i] = running[i] is { } execution
                ? new CheckReport(slots[i].Check, await execution.ConfigureAwait(false))
                : new CheckReport(slots[i].Check, default, Excluded: true);
        }

        return reports;
    }

    /// <summary>Whether every check that ran passed (excluded checks do not count).</summary>
    public static bool AllPassed(CheckReport[] reports)
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
}

/// <summary>A check and its result, as a response lists it; an excluded check did not run.</summary>
internal readonly record struct CheckReport(HealthCheckRegistration Check, CheckResult Result, bool Excluded = false);
