using System;
using System.Collections.Generic;
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
    /// <remarks>
    /// A check with dependencies is asked after them (<see cref="ProbeChecks.Order"/>): while one of them is not passing
    /// in this probe it is not run and is reported unchecked; while one is still running it waits for it (so a recovery
    /// shows at once). An excluded dependency holds nothing back.
    /// </remarks>
    public static ValueTask<TAnswer> RunAsync<TAnswer>(ProbeChecks checks, ProbeQuery query, CancellationToken requestAborted, Func<CheckReport[]?, ProbeQuery, TAnswer> answer)
    {
        CheckSlot[] slots = checks.Slots;
        CheckReport[]? reports = null;
        Task<CheckResult>?[]? pending = null;
        foreach (int i in checks.Order)
        {
            CheckSlot slot = slots[i];
            if (query.IsExcluded(slot.Check))
            {
                (reports ??= checks.NewReports())[i] = new CheckReport(slot.Check, default, Excluded: true);
                continue;
            }

            ValueTask<CheckResult> result = checks.DependenciesOf[i].Length == 0
                ? slot.GetResultAsync()
                : AfterDependencies(checks, i, reports, pending);
            if (!result.IsCompletedSuccessfully)
            {
                reports ??= checks.NewReports();
                (pending ??= new Task<CheckResult>?[slots.Length])[i] = result.AsTask(); // the shared execution's task
            }
            else if (reports is not null || !query.IsPlain || result.Result.Status != HealthStatus.Healthy)
            {
                (reports ??= checks.NewReports())[i] = new CheckReport(slot.Check, result.Result);
            }

            // Else healthy at once with nothing collected yet: a plain body shows it as the steady answer does.
        }

        return pending is null
            ? new ValueTask<TAnswer>(answer(reports, query))
            : new ValueTask<TAnswer>(AwaitPendingAsync(slots, reports!, pending, query, requestAborted, answer));
    }

    /// <summary>
    /// One check's result with its dependencies evaluated first, recursively, for the single-check path
    /// (<c>{prefix}/readyz/{check}</c>) and the startup gate.
    /// </summary>
    public static async Task<CheckResult> ResultOfAsync(ProbeChecks checks, int index)
    {
        foreach (int dependency in checks.DependenciesOf[index])
        {
            if (!(await ResultOfAsync(checks, dependency).ConfigureAwait(false)).Passed)
            {
                return DependencyNotPassing(checks.Slots[dependency]);
            }
        }

        return await checks.Slots[index].GetResultAsync().ConfigureAwait(false);
    }

    private static readonly Func<CheckReport[]?, ProbeQuery, CheckReport[]?> AsReports = static (reports, _) => reports;

    /// <summary>The result of a check whose dependencies were asked before it: known failing, still coming, or all passing.</summary>
    private static ValueTask<CheckResult> AfterDependencies(ProbeChecks checks, int index, CheckReport[]? reports, Task<CheckResult>?[]? pending)
    {
        List<(CheckSlot Slot, Task<CheckResult> Result)>? coming = null;
        foreach (int dependency in checks.DependenciesOf[index])
        {
            if (pending?[dependency] is { } running)
            {
                (coming ??= []).Add((checks.Slots[dependency], running));
            }
            else if (reports is not null && reports[dependency] is { Excluded: false, Result.Passed: false })
            {
                return new ValueTask<CheckResult>(DependencyNotPassing(checks.Slots[dependency]));
            }

            // Else it passed (or was excluded, or healthy at once before anything was collected).
        }

        return coming is null ? checks.Slots[index].GetResultAsync() : new ValueTask<CheckResult>(WhenDependenciesPassAsync(checks.Slots[index], coming));
    }

    private static async Task<CheckResult> WhenDependenciesPassAsync(CheckSlot slot, List<(CheckSlot Slot, Task<CheckResult> Result)> dependencies)
    {
        foreach ((CheckSlot dependency, Task<CheckResult> result) in dependencies)
        {
            if (!(await result.ConfigureAwait(false)).Passed)
            {
                return DependencyNotPassing(dependency);
            }
        }

        return await slot.GetResultAsync().ConfigureAwait(false);
    }

    private static CheckResult DependencyNotPassing(CheckSlot dependency)
        => CheckResult.NotRun($"not run: it depends on '{dependency.Check.Name}', which is not passing");

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
