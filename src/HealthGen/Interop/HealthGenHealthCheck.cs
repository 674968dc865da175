using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsHealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace HealthGen.Interop;

/// <summary>A HealthGen check seen through <see cref="IHealthCheck"/>: same scope, timeout and result.</summary>
internal sealed class HealthGenHealthCheck(HealthGen.HealthCheckRegistration check, CheckExecutor executor) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        CheckResult result = (await executor.ExecuteAsync(check, cancellationToken).ConfigureAwait(false)).Result;
        MsHealthStatus status = result.Status switch
        {
            HealthStatus.Healthy => MsHealthStatus.Healthy,
            HealthStatus.Degraded => MsHealthStatus.Degraded,
            _ => MsHealthStatus.Unhealthy,
        };
        return new HealthCheckResult(status, result.Result.Description, result.Result.Exception);
    }
}
