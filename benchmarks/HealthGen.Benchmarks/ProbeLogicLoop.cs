using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Generated;

namespace HealthGen.Benchmarks;

/// <summary>
/// The probe logic (no HTTP) in a loop, for a profiler: <c>dotnet run -c Release --project benchmarks/HealthGen.Benchmarks
/// -- --loop readyz 10</c> under <c>perf record</c> (with <c>DOTNET_PerfMapEnabled=1</c>) shows where a probe's time goes.
/// </summary>
public static class ProbeLogicLoop
{
    public static void Run(string probe, int seconds)
    {
        BenchmarkHost host = BenchmarkHost.Start(asyncChecks: false, readinessCacheMs: 3_600_000);
        HealthProbes probes = HealthProbesFactory.Create(host.Services, HealthGenApplicationChecks.All(), "loop");
        Console.WriteLine($"{probe}: {Measure(probes, probe, TimeSpan.FromSeconds(seconds)):0} ns per probe");
    }

    /// <summary>
    /// Requests to one path of the asynchronous-checks host, uncached (the asynchronous cache miss), for a profiler:
    /// <c>-- --loop-requests /hg/readyz 10</c>; compare with <c>/floor-isolated/readyz</c> under the same profiler.
    /// </summary>
    public static async Task RunRequestsAsync(string path, int seconds)
    {
        await using BenchmarkHost host = BenchmarkHost.Start(asyncChecks: true, readinessCacheMs: 0);
        InMemoryConnection connection = host.Connection;
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 1_000; i++)
            {
                if (await connection.GetAsync(path) != 200)
                {
                    throw new InvalidOperationException($"{path} answered {connection.StatusCode}.");
                }
            }

            count += 1_000;
        }

        Console.WriteLine($"{path}: {clock.Elapsed.TotalNanoseconds / count:0} ns per request");
    }

    /// <summary>
    /// The asynchronous cache miss without HTTP: HealthGen's readiness probe logic against the cheapest isolation
    /// (<see cref="PooledIsolationFloor"/>) and against that plus what design §5 requires of each execution
    /// (<see cref="ContractIsolationFloor"/>), alternating, for <c>-- --loop-miss seconds</c>. What is left between
    /// HealthGen and the contract floor is HealthGen's own work: the slot, its waiters, results, the answer.
    /// </summary>
    public static async Task RunAsyncMissAsync(int seconds)
    {
        await using BenchmarkHost host = BenchmarkHost.Start(asyncChecks: true, readinessCacheMs: 0);
        HealthProbes probes = HealthProbesFactory.Create(host.Services, HealthGenApplicationChecks.All(), "loop");
        PooledIsolationFloor cache = new(BenchmarkChecks.AsyncCache), database = new(BenchmarkChecks.AsyncDatabase), queue = new(BenchmarkChecks.AsyncQueue);
        using ContractIsolationFloor contractCache = new(BenchmarkChecks.AsyncCache, Variants.ContractTimeout),
            contractDatabase = new(BenchmarkChecks.AsyncDatabase, Variants.ContractTimeout), contractQueue = new(BenchmarkChecks.AsyncQueue, Variants.ContractTimeout);
        var probeTimes = new System.Collections.Generic.List<double>();
        var floorTimes = new System.Collections.Generic.List<double>();
        var contractTimes = new System.Collections.Generic.List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < 1_000; i++)
            {
                ProbeAnswer answer = await probes.ReadinessAsync(ProbeQuery.None, CancellationToken.None);
                answer.Body.ReturnChecks();
                if (!answer.Passed)
                {
                    throw new InvalidOperationException("readyz failed.");
                }
            }

            probeTimes.Add(Stopwatch.GetElapsedTime(started).TotalNanoseconds / 1_000);
            started = Stopwatch.GetTimestamp();
            for (int i = 0; i < 1_000; i++)
            {
                ValueTask<HealthResult> c = cache.Start(CancellationToken.None), d = database.Start(CancellationToken.None), q = queue.Start(CancellationToken.None);
                if ((await c).Status != HealthStatus.Healthy || (await d).Status != HealthStatus.Healthy || (await q).Status != HealthStatus.Healthy)
                {
                    throw new InvalidOperationException("a check failed.");
                }
            }

            floorTimes.Add(Stopwatch.GetElapsedTime(started).TotalNanoseconds / 1_000);
            started = Stopwatch.GetTimestamp();
            for (int i = 0; i < 1_000; i++)
            {
                long startedAt = Stopwatch.GetTimestamp();
                ValueTask<HealthResult> c = contractCache.Start(startedAt), d = contractDatabase.Start(startedAt), q = contractQueue.Start(startedAt);
                if ((await c).Status != HealthStatus.Healthy || (await d).Status != HealthStatus.Healthy || (await q).Status != HealthStatus.Healthy)
                {
                    throw new InvalidOperationException("a check failed.");
                }
            }

            contractTimes.Add(Stopwatch.GetElapsedTime(started).TotalNanoseconds / 1_000);
        }

        Console.WriteLine($"readiness probe logic {Median(probeTimes):0} ns, pooled isolation floor {Median(floorTimes):0} ns, "
            + $"contract floor {Median(contractTimes):0} ns (medians of {probeTimes.Count} batches)");
    }

    private static double Median(System.Collections.Generic.List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>Runs the probe (<c>livez</c> or <c>readyz</c>) for <paramref name="duration"/>; returns ns per probe.</summary>
    internal static double Measure(HealthProbes probes, string probe, TimeSpan duration)
    {
        bool liveness = probe switch
        {
            "livez" => true,
            "readyz" => false,
            _ => throw new ArgumentException($"Unknown probe '{probe}': use livez or readyz.", nameof(probe)),
        };
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < 10_000; i++)
            {
                if (!Probe(probes, liveness))
                {
                    throw new InvalidOperationException(probe + " failed.");
                }
            }

            count += 10_000;
        }

        return clock.Elapsed.TotalNanoseconds / count;
    }

    /// <summary>One plain liveness or readiness probe, answered at once (the caller's setup makes it so); whether it passed.</summary>
    internal static bool Probe(HealthProbes probes, bool liveness)
    {
        ValueTask<ProbeAnswer> answer = liveness ? probes.LivenessAsync(ProbeQuery.None, CancellationToken.None) : probes.ReadinessAsync(ProbeQuery.None, CancellationToken.None);
        ProbeAnswer result = answer.Result;
        result.Body.ReturnChecks();
        return result.Passed;
    }
}
