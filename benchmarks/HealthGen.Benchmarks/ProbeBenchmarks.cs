using System.Text;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace HealthGen.Benchmarks;

/// <summary>
/// A liveness request through the whole ASP.NET Core pipeline, in-process: HealthGen against a raw
/// endpoint that writes the same bytes and against <c>MapHealthChecks</c> (default writer and a
/// source-generated JSON writer). Liveness is not cached: every request executes the check.
/// </summary>
[MemoryDiagnoser]
public class LivenessRequest
{
    private BenchmarkHost _host = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = BenchmarkHost.Start(asyncChecks: false, readinessCacheMs: 0);
        _host.Expect("/raw/livez", Variants.LivenessBody);
        _host.Expect("/hg/livez", Variants.LivenessBody);
        _host.Expect("/mhc-json/livez", Variants.LivenessBody);
        _host.Expect("/mhc/livez", Encoding.UTF8.GetBytes("Healthy"));
    }

    [GlobalCleanup]
    public ValueTask Cleanup() => _host.DisposeAsync();

    [Benchmark(Baseline = true, Description = "raw MapGet")]
    public ValueTask<int> Raw() => _host.Connection.GetAsync("/raw/livez");

    [Benchmark(Description = "HealthGen")]
    public ValueTask<int> HealthGen() => _host.Connection.GetAsync("/hg/livez");

    [Benchmark(Description = "HealthGen startupz (no check)")]
    public ValueTask<int> HealthGenStartup() => _host.Connection.GetAsync("/hg/startupz");

    [Benchmark(Description = "MapHealthChecks (default writer)")]
    public ValueTask<int> MapHealthChecks() => _host.Connection.GetAsync("/mhc/livez");

    [Benchmark(Description = "MapHealthChecks (STJ source-gen writer)")]
    public ValueTask<int> MapHealthChecksJson() => _host.Connection.GetAsync("/mhc-json/livez");
}

/// <summary>
/// A readiness request with three healthy checks: HealthGen answering from its cache (hit) and executing
/// every check (miss, cache off) against the raw endpoint and <c>MapHealthChecks</c>, which has no cache.
/// <see cref="Checks"/> = sync: the checks return at once (HealthGen runs them inline); async: each awaits
/// (HealthGen runs each on the thread pool under its timeout, MapHealthChecks too).
/// </summary>
[MemoryDiagnoser]
public class ReadinessRequest
{
    private BenchmarkHost _cached = null!;
    private BenchmarkHost _uncached = null!;

    [Params("sync", "async")]
    public string Checks { get; set; } = "sync";

    [GlobalSetup]
    public void Setup()
    {
        bool asyncChecks = Checks == "async";
        byte[] body = asyncChecks ? Variants.AsyncReadinessBody : Variants.ReadinessBody;
        _cached = BenchmarkHost.Start(asyncChecks, readinessCacheMs: 3_600_000);
        _uncached = BenchmarkHost.Start(asyncChecks, readinessCacheMs: 0);
        foreach (BenchmarkHost host in new[] { _cached, _uncached })
        {
            host.Expect("/raw/readyz", body);
            host.Expect("/hg/readyz", body);
            host.Expect("/mhc-json/readyz", body);
            host.Expect("/mhc/readyz", Encoding.UTF8.GetBytes("Healthy"));
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _cached.DisposeAsync();
        await _uncached.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "raw MapGet")]
    public ValueTask<int> Raw() => _cached.Connection.GetAsync("/raw/readyz");

    [Benchmark(Description = "HealthGen, cache hit")]
    public ValueTask<int> HealthGenCacheHit() => _cached.Connection.GetAsync("/hg/readyz");

    [Benchmark(Description = "HealthGen, cache miss")]
    public ValueTask<int> HealthGenCacheMiss() => _uncached.Connection.GetAsync("/hg/readyz");

    [Benchmark(Description = "MapHealthChecks (default writer)")]
    public ValueTask<int> MapHealthChecks() => _uncached.Connection.GetAsync("/mhc/readyz");

    [Benchmark(Description = "MapHealthChecks (STJ source-gen writer)")]
    public ValueTask<int> MapHealthChecksJson() => _uncached.Connection.GetAsync("/mhc-json/readyz");
}
