namespace HealthGen.Execution;

/// <summary>
/// Something waiting for a slot's isolated execution to end: one request (<see cref="ResultWaiter"/>), or a probe
/// collecting the results of all its checks (<see cref="PendingProbe{TAnswer}"/>), which the slot hands the result to
/// directly, so a probe waits for several checks without a waiter, a task or a continuation per check.
/// </summary>
internal abstract class ResultSink
{
    /// <summary>
    /// The execution ended, or passed its timeout, with <paramref name="result"/>. Called once per subscription, on the
    /// thread that ended the execution, outside the slot's lock.
    /// </summary>
    /// <param name="position">What the sink subscribed with (a probe's position of the check).</param>
    /// <param name="result">The result.</param>
    public abstract void OnResult(int position, in CheckResult result);
}
