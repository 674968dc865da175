using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthGen.Benchmarks;

/// <summary>
/// The same probes written four ways, mapped side by side in one application, so every comparison runs
/// the same checks through the same pipeline in the same process:
/// <list type="bullet">
/// <item><c>/hg/livez</c>, <c>/hg/readyz</c>: HealthGen (generated from the attributed methods below);</item>
/// <item><c>/mhc/livez</c>, <c>/mhc/readyz</c>: <c>MapHealthChecks</c> with its default writer (text "Healthy");</item>
/// <item><c>/mhc-json/livez</c>, <c>/mhc-json/readyz</c>: <c>MapHealthChecks</c> with a System.Text.Json
/// source-generated writer that writes HealthGen's exact bytes (the fair comparison);</item>
/// <item><c>/raw/livez</c>, <c>/raw/readyz</c>: a plain endpoint that writes those bytes with the same headers
/// and the same write call as HealthGen, and does nothing else.</item>
/// </list>
/// </summary>
public static class Variants
{
    public const string HealthGenPrefix = "/hg";

    /// <summary>The readiness checks that are synchronous (run inline) and those that are asynchronous (run on the thread pool).</summary>
    public static readonly string[] SyncReadiness = ["readyz/cache", "readyz/database", "readyz/queue"];
    public static readonly string[] AsyncReadiness = ["readyz/async_cache", "readyz/async_database", "readyz/async_queue"];

    public static readonly byte[] LivenessBody = Encoding.UTF8.GetBytes("""{"status":"OK"}""");
    public static readonly byte[] ReadinessBody = Encoding.UTF8.GetBytes("""{"status":"ready","cache":"OK","database":"OK","queue":"OK"}""");
    public static readonly byte[] AsyncReadinessBody = Encoding.UTF8.GetBytes("""{"status":"ready","async_cache":"OK","async_database":"OK","async_queue":"OK"}""");

    // Not "live"/"ready": with the tags-only import rule, registrations with those tags would still join HealthGen's probes.
    private const string AnchorLive = "anchor-live";
    private const string AnchorReady = "anchor-ready";

    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Services for every variant. <paramref name="asyncChecks"/> picks which readiness trio is active.</summary>
    public static void AddServices(IServiceCollection services, bool asyncChecks, int readinessCacheMs)
    {
        services.AddHealthGen(options =>
        {
            options.HealthCheckImport = HealthCheckImport.TaggedOnly; // the anchors' IHealthChecks stay out of HealthGen's probes
            options.ReadinessCacheMs = readinessCacheMs;
            foreach (string path in asyncChecks ? SyncReadiness : AsyncReadiness)
            {
                options.DisabledChecks.Add(path);
            }
        });

        IHealthChecksBuilder checks = services.AddHealthChecks().AddCheck<HealthyCheck>("process", tags: [AnchorLive]);
        foreach (string name in new[] { "cache", "database", "queue" })
        {
            if (asyncChecks)
            {
                checks.AddCheck<YieldingHealthyCheck>("async_" + name, tags: [AnchorReady]);
            }
            else
            {
                checks.AddCheck<HealthyCheck>(name, tags: [AnchorReady]);
            }
        }
    }

    /// <summary>Maps all four variants.</summary>
    public static void Map(IEndpointRouteBuilder endpoints, bool asyncChecks)
    {
        endpoints.MapHealthGen(HealthGenPrefix);

        endpoints.MapHealthChecks("/mhc/livez", new HealthCheckOptions { Predicate = static r => r.Tags.Contains(AnchorLive) });
        endpoints.MapHealthChecks("/mhc/readyz", new HealthCheckOptions { Predicate = static r => r.Tags.Contains(AnchorReady) });
        endpoints.MapHealthChecks("/mhc-json/livez", new HealthCheckOptions { Predicate = static r => r.Tags.Contains(AnchorLive), ResponseWriter = WriteLivenessJson });
        endpoints.MapHealthChecks("/mhc-json/readyz", new HealthCheckOptions { Predicate = static r => r.Tags.Contains(AnchorReady), ResponseWriter = WriteReadinessJson });

        byte[] readiness = asyncChecks ? AsyncReadinessBody : ReadinessBody;
        endpoints.Map("/raw/livez", context => WriteRaw(context, LivenessBody));
        endpoints.Map("/raw/readyz", context => WriteRaw(context, readiness));
    }

    /// <summary>The raw endpoint: the same status, headers and write call as HealthGen, bytes known in advance.</summary>
    private static Task WriteRaw(HttpContext context, byte[] body)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        ValueTask<System.IO.Pipelines.FlushResult> write = response.BodyWriter.WriteAsync(body, context.RequestAborted);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }

    /// <summary>What a careful MapHealthChecks user writes for AOT: a source-generated body, HealthGen's shape.</summary>
    private static Task WriteLivenessJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = JsonContentType;
        var body = new AnchorStatus(report.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy ? "fail" : "OK");
        return JsonSerializer.SerializeAsync(context.Response.Body, body, AnchorJsonContext.Default.AnchorStatus, context.RequestAborted);
    }

    private static Task WriteReadinessJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = JsonContentType;
        var names = new List<string>(report.Entries.Keys);
        names.Sort(StringComparer.Ordinal);
        var body = new Dictionary<string, string>(names.Count + 1)
        {
            ["status"] = report.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy ? "not ready" : "ready",
        };
        foreach (string name in names)
        {
            body[name] = report.Entries[name].Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy ? "OK" : "fail";
        }

        return JsonSerializer.SerializeAsync(context.Response.Body, body, AnchorJsonContext.Default.DictionaryStringString, context.RequestAborted);
    }
}

/// <summary>HealthGen's side: the checks, as attributed methods.</summary>
public static class BenchmarkChecks
{
    [LivenessCheck]
    public static HealthResult Process() => HealthResult.Healthy();

    [ReadinessCheck]
    public static HealthResult Database() => HealthResult.Healthy();

    [ReadinessCheck]
    public static HealthResult Queue() => HealthResult.Healthy();

    [ReadinessCheck]
    public static HealthResult Cache() => HealthResult.Healthy();

    [ReadinessCheck]
    public static async Task<HealthResult> AsyncDatabase(CancellationToken cancellationToken)
    {
        await Task.Yield();
        return HealthResult.Healthy();
    }

    [ReadinessCheck]
    public static async Task<HealthResult> AsyncQueue(CancellationToken cancellationToken)
    {
        await Task.Yield();
        return HealthResult.Healthy();
    }

    [ReadinessCheck]
    public static async Task<HealthResult> AsyncCache(CancellationToken cancellationToken)
    {
        await Task.Yield();
        return HealthResult.Healthy();
    }
}

/// <summary>MapHealthChecks' side: the same checks as <see cref="IHealthCheck"/>s.</summary>
public sealed class HealthyCheck : IHealthCheck
{
    private static readonly Task<HealthCheckResult> Healthy = Task.FromResult(HealthCheckResult.Healthy());

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Healthy;
}

/// <summary>The asynchronous twin of <see cref="BenchmarkChecks.AsyncDatabase"/>.</summary>
public sealed class YieldingHealthyCheck : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return HealthCheckResult.Healthy();
    }
}

public sealed record AnchorStatus([property: JsonPropertyName("status")] string Status);

[JsonSerializable(typeof(AnchorStatus))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class AnchorJsonContext : JsonSerializerContext;
