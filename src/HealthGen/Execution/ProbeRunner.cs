using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Execution;

/// <summary>Runs the checks of one probe concurrently and collects their results in check order.</summary>
internal static class ProbeRunner
{
    public static async Task<CheckReport[]> RunAsync(CheckSlot[] slots, CancellationToken requestAborted)
    {
        if (slots.Length == 0)
        {
            return [];
        }

        // Start every check before awaiting any, so the probe takes as long as its slowest check,
        // not the sum of them. Each slot answers within its own timeout.
        var running = new Task<CheckResult>[slots.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            running[i] = slots[i].GetResultAsync(requestAborted);
        }

        var reports = new CheckReport[slots.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            reports[i] = new CheckReport(slots[i].Check, await running[i].ConfigureAwait(false));
        }

        return reports;
    }

    public static bool AllPassed(CheckReport[] reports)
    {
        foreach (CheckReport report in reports)
        {
            if (!report.Result.Passed)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A check and its result, as a response lists it.</summary>
internal readonly record struct CheckReport(HealthCheckRegistration Check, CheckResult Result);
