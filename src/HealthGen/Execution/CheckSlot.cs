using System;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Execution;

/// <summary>
/// The one place a probe gets a check's result from. Today every request executes the check; this is
/// where result caching and single-flight sharing of an execution in flight belong, so that the probes
/// and the runner never change when they arrive.
/// </summary>
internal sealed class CheckSlot(HealthCheckRegistration check, CheckExecutor executor)
{
    public HealthCheckRegistration Check { get; } = check;

    public TimeSpan Timeout { get; } = executor.TimeoutOf(check);

    public Task<CheckResult> GetResultAsync(CancellationToken requestAborted) => executor.ExecuteAsync(Check, requestAborted);
}
