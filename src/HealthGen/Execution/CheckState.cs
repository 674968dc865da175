using System;

namespace HealthGen.Execution;

/// <summary>
/// What a <see cref="CheckSlot"/> knows of its check, replaced as a whole after every execution: the latest result as
/// the probes report it (with the failure streak and, within the failure threshold, the tolerated status), when it
/// ended, the last passing status, and the last <see cref="HistoryLength"/> transitions.
/// </summary>
/// <param name="Result">The latest result as reported.</param>
/// <param name="CompletedAtMs">When it ended, on the slot's <see cref="ProbeClock"/>.</param>
/// <param name="LastPassing">The status of the latest execution that passed, if any did.</param>
/// <param name="History">The latest transitions of the raw status, oldest first; bounded by <see cref="HistoryLength"/>.</param>
/// <param name="HasResult">Whether any execution has ended yet (<see langword="false"/> for <c>default</c>).</param>
internal readonly record struct CheckState(CheckResult Result, long CompletedAtMs, HealthStatus? LastPassing, CheckTransition[] History, bool HasResult = true)
{
    /// <summary>How many transitions a check remembers.</summary>
    public const int HistoryLength = 16;

    /// <summary>Whether the result may still be reused <paramref name="nowMs"/>, for a cache of <paramref name="cacheMs"/> (0 = never).</summary>
    public bool IsFresh(long nowMs, long cacheMs) => HasResult && nowMs - CompletedAtMs < cacheMs;

    /// <summary>The reported status, if there is a result.</summary>
    public HealthStatus? Status => HasResult ? Result.Status : null;

    /// <summary>
    /// The state after an execution that ended with <paramref name="raw"/>. A failure is reported only once
    /// <paramref name="failureThreshold"/> executions in a row have failed; until then the check reports its last
    /// passing status (a check that never passed has none to report and fails at once). A new transition is the only
    /// thing that allocates (the history is copied), so a steady check's executions allocate nothing here.
    /// </summary>
    public CheckState After(CheckResult raw, long completedAtMs, int failureThreshold, TimeProvider time)
    {
        bool passed = raw.Result.Status != HealthStatus.Unhealthy;
        int failures = passed ? 0 : (HasResult ? Result.ConsecutiveFailures : 0) + 1;
        HealthStatus? lastPassing = passed ? raw.Result.Status : LastPassing;
        HealthStatus? tolerated = !passed && failures < failureThreshold ? lastPassing : null;
        CheckTransition[] history = History ?? [];
        if (!HasResult || Result.Result.Status != raw.Result.Status)
        {
            history = [.. history.AsSpan(Math.Max(0, history.Length - (HistoryLength - 1))), new CheckTransition(raw.Result.Status, time.GetUtcNow())];
        }

        return new CheckState(raw with { ConsecutiveFailures = failures, Tolerated = tolerated }, completedAtMs, lastPassing, history);
    }
}
