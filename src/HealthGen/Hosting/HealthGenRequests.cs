using System;
using HealthGen.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HealthGen;

/// <summary>
/// Tells HealthGen's probe requests from the application's own, for telemetry that should not count the kubelet.
/// ASP.NET Core's HTTP metrics already leave the probes out (<see cref="HealthGenOptions.RecordHttpMetrics"/>);
/// for traces, OpenTelemetry's ASP.NET Core instrumentation takes a filter that runs when a request starts,
/// before routing:
/// <code>
/// tracing.AddAspNetCoreInstrumentation(o =&gt; o.Filter = context =&gt; !HealthGenRequests.IsProbe(context));
/// </code>
/// </summary>
public static class HealthGenRequests
{
    /// <summary>
    /// Whether the request is for one of the probes <c>MapHealthGen</c> mapped in this application — <c>{prefix}</c>,
    /// livez, readyz, startupz, resolversz or a per-check path — judged by its path alone, so it works before routing.
    /// <c>{prefix}/details</c> (an operator's request, rare and worth its trace) is not a probe, nor is any path of a
    /// <c>MapHealthGen</c> called inside an outer <c>MapGroup</c>.
    /// </summary>
    public static bool IsProbe(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices?.GetService<MappedProbes>() is { } mapped && mapped.IsProbePath(context.Request.Path);
    }
}
