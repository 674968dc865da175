using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using HealthGen.Execution;
using HealthGen.Generated;

namespace HealthGen.Benchmarks;

/// <summary>Where the time of a HealthGen request goes: the probe logic alone, without HTTP (diagnostic).</summary>
[MemoryDiagnoser]
public class ProbeLogic
{
    private BenchmarkHost _host = null!;
    private HealthProbes _probes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = BenchmarkHost.Start(asyncChecks: false, readinessCacheMs: 3_600_000);
        _probes = HealthProbesFactory.Create(_host.Services, HealthGenApplicationChecks.All(), "benchmark");
    }

    [GlobalCleanup]
    public ValueTask Cleanup() => _host.DisposeAsync();

    [Benchmark(Description = "liveness probe logic")]
    public bool Liveness() => ProbeLogicLoop.Probe(_probes, liveness: true);

    [Benchmark(Description = "readiness probe logic, cache hit")]
    public bool Readiness() => ProbeLogicLoop.Probe(_probes, liveness: false);
}
