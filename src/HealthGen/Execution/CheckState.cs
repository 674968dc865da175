namespace HealthGen.Execution;

/// <summary>A check's latest result and when it ended, kept by its <see cref="CheckSlot"/> and replaced as a whole.</summary>
/// <param name="Result">The latest execution's result.</param>
/// <param name="CompletedAtMs">When it ended, on the slot's <see cref="ProbeClock"/>.</param>
/// <param name="HasResult">Whether any execution has ended yet (<see langword="false"/> for <c>default</c>).</param>
internal readonly record struct CheckState(CheckResult Result, long CompletedAtMs, bool HasResult = true)
{
    /// <summary>Whether the result may still be reused <paramref name="nowMs"/>, for a cache of <paramref name="cacheMs"/> (0 = never).</summary>
    public bool IsFresh(long nowMs, long cacheMs) => HasResult && nowMs - CompletedAtMs < cacheMs;

    public HealthStatus? Status => HasResult ? Result.Status : null;
}
