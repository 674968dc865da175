using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsHealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace HealthGen.Interop;

/// <summary>
/// A HealthGen check seen through <see cref="IHealthCheck"/>: the same scope, timeout and result as on the probes, run by
/// its own uncached <see cref="CheckSlot"/> (so concurrent health reports share one execution). A caller whose token
/// is cancelled stops waiting; the execution ends at its timeout at the latest.
/// </summary>
internal sealed class HealthGenHealthCheck(CheckSlot slot) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        CheckResult result = await slot.GetResultAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        MsHealthStatus status = result.Status switch
        {
            HealthStatus.Healthy => MsHealthStatus.Healthy,
            HealthStatus.Degraded => MsHealthStatus.Degraded,
            _ => MsHealthStatus.Unhealthy,
        };
        return new HealthCheckResult(status, result.Result.Description, result.Result.Exception);
    }
}
