using System;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Probes;

namespace HealthGen.Execution;

/// <summary>Runs the checks of one probe concurrently and collects their results in check order.</summary>
internal static class ProbeRunner
{
    /// <summary>
    /// Asks every check before awaiting any, so the probe takes as long as its slowest check, not the sum of them (each
    /// slot answers within its check's timeout). <see langword="null"/> means the steady answer: a plain query whose
    /// checks were all healthy at once (cache hits, inline checks) — then nothing was collected or allocated.
    /// </summary>
    /// <param name="checks">The probe's checks.</param>
    /// <param name="query">Which checks are excluded, and whether the body shows each check's own result.</param>
    /// <param name="requestAborted">Stops waiting; executions in flight go on for the other requests that share them.</param>
    public static ValueTask<CheckReport[]?> RunAsync(ProbeChecks checks, ProbeQuery query, CancellationToken requestAborted)
        => RunAsync(checks, query, requestAborted, AsReports);

    /// <summary>
    /// As <see cref="RunAsync(ProbeChecks, ProbeQuery, CancellationToken)"/>, and makes the probe's answer from the reports
    /// (<see langword="null"/>: the steady answer) where they are complete, so a probe that waits costs one state machine.
    /// </summary>
    public static ValueTask<TAnswer> RunAsync<TAnswer>(ProbeChecks checks, ProbeQuery query, CancellationToken requestAborted, Func<CheckReport[]?, ProbeQuery, TAnswer> answer)
    {
        CheckSlot[] slots = checks.Slots;
        CheckReport[]? reports = null;
        Task<CheckResult>?[]? pending = null;
        for (int i = 0; i < slots.Length; i++)
        {
            CheckSlot slot = slots[i];
            if (query.IsExcluded(slot.Check))
            {
                (reports ??= checks.ReportsAfterHealthy(i))[i] = new CheckReport(slot.Check, default, Excluded: true);
                continue;
            }

            ValueTask<CheckResult> result = slot.GetResultAsync();
            if (!result.IsCompletedSuccessfully)
            {
                reports ??= checks.ReportsAfterHealthy(i);
                (pending ??= new Task<CheckResult>?[slots.Length])[i] = result.AsTask(); // the shared execution's task
            }
            else if (reports is not null || !query.IsPlain || result.Result.Status != HealthStatus.Healthy)
            {
                (reports ??= checks.ReportsAfterHealthy(i))[i] = new CheckReport(slot.Check, result.Result);
            }

            // Else healthy at once with nothing collected yet: a plain body shows it as the steady answer does.
        }

        return pending is null
            ? new ValueTask<TAnswer>(answer(reports, query))
            : new ValueTask<TAnswer>(AwaitPendingAsync(slots, reports!, pending, query, requestAborted, answer));
    }

    private static readonly Func<CheckReport[]?, ProbeQuery, CheckReport[]?> AsReports = static (reports, _) => reports;

    private static async Task<TAnswer> AwaitPendingAsync<TAnswer>(
        CheckSlot[] slots, CheckReport[] reports, Task<CheckResult>?[] pending, ProbeQuery query, CancellationToken requestAborted, Func<CheckReport[]?, ProbeQuery, TAnswer> answer)
    {
        for (int i = 0; i < pending.Length; i++)
        {
            if (pending[i] is { } running)
            {
                reports[i] = new CheckReport(slots[i].Check, await running.WaitAsync(requestAborted).ConfigureAwait(false));
            }
        }

        return answer(reports, query);
    }
}
