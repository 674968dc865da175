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
/// and the same write call as HealthGen, and does nothing else (the floor).</item>
/// <item><c>/floor/livez</c>, <c>/floor/readyz</c>: the raw endpoint plus the least a probe must do per request to keep
/// HealthGen's documented behaviour — answer only GET and HEAD, see whether there is a query, and for liveness claim
/// the check (single flight), time it (two clock reads: the timeout and the duration), call it and store its result;
/// for a readiness cache hit read three stored results under a sequence check and the clock once. No handler, no
/// telemetry, no reports: what any implementation of these probes pays on top of the raw endpoint.</item>
/// <item><c>/floor-inline/readyz</c>, <c>/floor-isolated/readyz</c>: the asynchronous readiness checks run by the
/// least code that can run them, then the raw write: awaited on the request's thread (no isolation at all), or each
/// started on the thread pool first with <c>Task.Run</c> (the isolation HealthGen promises, without timeouts, scopes or
/// caching). They bound what any implementation of an asynchronous cache miss can cost.</item>
/// <item><c>/floor-pooled/readyz</c>: the same isolation at its cheapest (<see cref="PooledIsolationFloor"/>): each check
/// started by a reused thread-pool work item and awaited through it, nothing allocated, no execution context.</item>
/// <item><c>/floor-contract/readyz</c>: that cheapest isolation plus the least design §5 requires of each execution
/// (<see cref="ContractIsolationFloor"/>): a single-flight claim, a timeout the answer does not wait past, the duration,
/// the result stored for the cache. What any implementation of the asynchronous cache miss pays.</item>
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

    // Not "live"/"ready": IHealthCheck registrations with those tags would also join HealthGen's probes (interop).
    private const string AnchorLive = "anchor-live";
    private const string AnchorReady = "anchor-ready";

    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Services for every variant. <paramref name="asyncChecks"/> picks which readiness trio is active.</summary>
    public static void AddServices(IServiceCollection services, bool asyncChecks, int readinessCacheMs)
    {
        services.AddHealthGen(options =>
        {
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
        endpoints.Map("/floor/livez", FloorLiveness);
        endpoints.Map("/floor/readyz", FloorReadinessHit);
        endpoints.Map("/floor-inline/readyz", FloorInlineAsync);
        endpoints.Map("/floor-isolated/readyz", FloorIsolatedAsync);
        endpoints.Map("/floor-pooled/readyz", FloorPooledAsync);
        endpoints.Map("/floor-contract/readyz", FloorContractAsync);
    }

    private static int s_floorClaim;
    private static long s_floorLivenessAt;
    private static int s_floorLivenessStatus;
    private static readonly long[] s_floorVersions = [2, 2, 2];
    private static readonly int[] s_floorStatuses = [(int)HealthStatus.Healthy, (int)HealthStatus.Healthy, (int)HealthStatus.Healthy];
    private static readonly long[] s_floorCompletedAt = [long.MaxValue / 2, long.MaxValue / 2, long.MaxValue / 2]; // far future: always fresh

    private static Task FloorLiveness(HttpContext context)
    {
        HttpRequest request = context.Request;
        string method = request.Method;
        bool isHead = HttpMethods.IsHead(method);
        if ((!HttpMethods.IsGet(method) && !isHead) || request.QueryString.HasValue
            || Interlocked.CompareExchange(ref s_floorClaim, 1, 0) != 0)
        {
            throw new InvalidOperationException("The floor serves one plain GET at a time.");
        }

        long started = Environment.TickCount64;
        HealthResult result = BenchmarkChecks.Process();
        long ended = Environment.TickCount64;
        Volatile.Write(ref s_floorLivenessStatus, (int)result.Status);
        Volatile.Write(ref s_floorLivenessAt, ended);
        Interlocked.Exchange(ref s_floorClaim, 0);
        if (result.Status != HealthStatus.Healthy || ended - started > 800)
        {
            throw new InvalidOperationException("The liveness check failed.");
        }

        return isHead ? Task.CompletedTask : WriteRaw(context, LivenessBody);
    }

    private static Task FloorReadinessHit(HttpContext context)
    {
        HttpRequest request = context.Request;
        string method = request.Method;
        bool isHead = HttpMethods.IsHead(method);
        if ((!HttpMethods.IsGet(method) && !isHead) || request.QueryString.HasValue)
        {
            throw new InvalidOperationException("The floor serves plain GETs.");
        }

        long now = Environment.TickCount64;
        for (int i = 0; i < s_floorVersions.Length; i++)
        {
            long version = Volatile.Read(ref s_floorVersions[i]);
            if (Volatile.Read(ref s_floorStatuses[i]) != (int)HealthStatus.Healthy
                || now - Volatile.Read(ref s_floorCompletedAt[i]) >= 1_000
                || Volatile.Read(ref s_floorVersions[i]) != version)
            {
                // Never true here (the stored results are healthy and fresh); the floor only pays for asking.
                throw new InvalidOperationException("A readiness check is not healthy.");
            }
        }

        return isHead ? Task.CompletedTask : WriteRaw(context, ReadinessBody);
    }

    private static async Task FloorInlineAsync(HttpContext context)
    {
        CancellationToken aborted = context.RequestAborted;
        Task<HealthResult> cache = BenchmarkChecks.AsyncCache(aborted), database = BenchmarkChecks.AsyncDatabase(aborted), queue = BenchmarkChecks.AsyncQueue(aborted);
        await WriteIfHealthy(context, await cache, await database, await queue);
    }

    private static async Task FloorIsolatedAsync(HttpContext context)
    {
        CancellationToken aborted = context.RequestAborted;
        Task<HealthResult> cache = Task.Run(() => BenchmarkChecks.AsyncCache(aborted)), database = Task.Run(() => BenchmarkChecks.AsyncDatabase(aborted)),
            queue = Task.Run(() => BenchmarkChecks.AsyncQueue(aborted));
        await WriteIfHealthy(context, await cache, await database, await queue);
    }

    private static readonly PooledIsolationFloor s_pooledCache = new(BenchmarkChecks.AsyncCache);
    private static readonly PooledIsolationFloor s_pooledDatabase = new(BenchmarkChecks.AsyncDatabase);
    private static readonly PooledIsolationFloor s_pooledQueue = new(BenchmarkChecks.AsyncQueue);

    private static int s_pooledClaim;

    private static async Task FloorPooledAsync(HttpContext context)
    {
        // One work item per check, shared by every request: a second request at the same time would corrupt them.
        if (Interlocked.CompareExchange(ref s_pooledClaim, 1, 0) != 0)
        {
            throw new InvalidOperationException("The pooled floor serves one request at a time.");
        }

        try
        {
            CancellationToken aborted = context.RequestAborted;
            ValueTask<HealthResult> cache = s_pooledCache.Start(aborted), database = s_pooledDatabase.Start(aborted), queue = s_pooledQueue.Start(aborted);
            await WriteIfHealthy(context, await cache, await database, await queue);
        }
        finally
        {
            Volatile.Write(ref s_pooledClaim, 0);
        }
    }

    /// <summary>The checks' timeout in the contract floor: HealthGen's default (<c>HealthGenOptions.DefaultTimeoutMs</c>).</summary>
    public static readonly TimeSpan ContractTimeout = TimeSpan.FromMilliseconds(800);

    private static readonly ContractIsolationFloor s_contractCache = new(BenchmarkChecks.AsyncCache, ContractTimeout);
    private static readonly ContractIsolationFloor s_contractDatabase = new(BenchmarkChecks.AsyncDatabase, ContractTimeout);
    private static readonly ContractIsolationFloor s_contractQueue = new(BenchmarkChecks.AsyncQueue, ContractTimeout);

    private static async Task FloorContractAsync(HttpContext context)
    {
        // Each ContractIsolationFloor claims itself (single flight) and throws on a second request at the same time.
        long startedAt = System.Diagnostics.Stopwatch.GetTimestamp(); // one precise read per probe, shared by its checks
        ValueTask<HealthResult> cache = s_contractCache.Start(startedAt), database = s_contractDatabase.Start(startedAt), queue = s_contractQueue.Start(startedAt);
        await WriteIfHealthy(context, await cache, await database, await queue);
    }

    private static Task WriteIfHealthy(HttpContext context, HealthResult cache, HealthResult database, HealthResult queue)
        => cache.Status == HealthStatus.Healthy && database.Status == HealthStatus.Healthy && queue.Status == HealthStatus.Healthy
            ? WriteRaw(context, AsyncReadinessBody)
            : throw new InvalidOperationException("A benchmark check failed.");

    /// <summary>The floor: the same status, headers and write call as HealthGen, bytes known in advance.</summary>
    private static Task WriteRaw(HttpContext context, byte[] body)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers.CacheControl = "no-store";
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
