using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HealthGen.Testing;
using HealthGen.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HealthGen.Reliability;

/// <summary>
/// A mixed probe load for HEALTHGEN_SOAK_SECONDS (default 60; HEALTHGEN_SOAK_SECONDS=600 ./test.sh for the
/// long soak). The service runs as its own process — the published native sample against a real PostgreSQL —
/// so its memory is measured alone (a test process also holds the client and the test host, whose own
/// warm-up growth would hide or fake a leak). A second run in-process reports managed heap and GC counts.
/// Both run alone (<see cref="RunsAloneCollection"/>), after the other tests.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class SoakTests
{
    private static int Seconds => int.TryParse(Environment.GetEnvironmentVariable("HEALTHGEN_SOAK_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out int configured) && configured > 0 ? configured : 60;

    private static readonly string[] Paths =
        ["/healthz/livez", "/healthz/readyz", "/healthz/readyz?verbose", "/healthz", "/healthz/details", "/healthz/readyz/database", "/healthz/resolversz"];

    [Fact]
    public async Task The_native_service_answers_a_mixed_load_without_errors_and_its_memory_stays_flat()
    {
        string binary = RepositoryPaths.Combine("artifacts", "aot", "HealthGen.Sample");
        Assert.True(File.Exists(binary), $"The native sample is not published at {binary}: run ./test.sh (it publishes it first).");
        await using PostgresServer postgres = await PostgresServer.StartAsync();
        string directory = Directory.CreateTempSubdirectory("healthgen-soak-").FullName;
        int port = ServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo(binary) { ArgumentList = { "--urls", $"http://127.0.0.1:{port}" } };
        start.Environment["ConnectionStrings__Postgres"] = postgres.ConnectionString();
        start.Environment["Health__Token"] = "soak-token";
        start.Environment["Sample__UsersDatabase"] = Path.Combine(directory, "users.db");
        start.Environment["HealthGen__DefaultTimeoutMs"] = "5000";
        // The soak looks for leaks, not for the collector's sizing. The sample is a Web SDK application: server GC with
        // DATAS, which adapts its heap count and allocation budgets to the load. Measured here: in some runs anonymous
        // memory ramped by 10 MB over 14 s in mid-soak and then stayed flat (a larger budget, kept), in others it stayed
        // flat throughout. Workstation GC with a fixed 4 MB gen0 budget (the value is hexadecimal, as the runtime reads
        // DOTNET_ GC settings) makes RSS follow the live data, which is what a leak raises.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_GCgen0size"] = "400000";
        try
        {
            await using AppProcess service = await AppProcess.StartAsync(start, port, "/healthz/startupz", "The native sample");
            await using var load = new ProbeLoad(service.Client.BaseAddress!, Paths, bearer: "soak-token");
            TimeSpan warmUp = TimeSpan.FromSeconds(Math.Max(10, Seconds / 3));
            await Task.Delay(warmUp);

            // RSS once a second. Between collections it rises by what the load allocates and falls back when the GC
            // runs, so comparing two instants measures where in that sawtooth they fell. A leak raises the floor: the
            // lowest RSS of the second half against the first's.
            var samples = new List<(long Rss, long Anonymous, long Threads)>();
            for (var measuring = Stopwatch.StartNew(); measuring.Elapsed < TimeSpan.FromSeconds(Seconds) - warmUp;)
            {
                samples.Add(Measure(service.Id));
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            await load.DisposeAsync();
            (long rssAfterWarmUp, long anonAfterWarmUp, long threadsAfterWarmUp) = Lowest(samples[..(samples.Count / 2)]);
            (long rssAtEnd, long anonAtEnd, long threadsAtEnd) = Lowest(samples[(samples.Count / 2)..]);

            var answers = load.Samples;
            int errors = answers.Count(s => s.Status != 200);
            Assert.True(errors == 0, $"{errors} of {answers.Count} answers were not 200, e.g. {answers.FirstOrDefault(s => s.Status != 200)}");
            double growth = (rssAtEnd - rssAfterWarmUp) / (double)rssAfterWarmUp;
            Assert.True(growth < 0.10, $"the service's lowest RSS rose {growth:P1} from the first half of the soak to the second ({rssAfterWarmUp / 1024.0:0.0} → {rssAtEnd / 1024.0:0.0} MB; " +
                $"anonymous {anonAfterWarmUp / 1024.0:0.0} → {anonAtEnd / 1024.0:0.0} MB; threads {threadsAfterWarmUp} → {threadsAtEnd}, at most {samples.Max(s => s.Threads)})");
            Figures.Record("soak, native service", $"{Seconds} s, {answers.Count} requests over {Paths.Length} endpoints (with a real PostgreSQL), 0 errors; " +
                $"lowest RSS {rssAfterWarmUp / 1024.0:0.0} → {rssAtEnd / 1024.0:0.0} MB ({growth:+0.0%;-0.0%}) from the first half to the second after a {warmUp.TotalSeconds:0} s warm-up " +
                $"(highest {samples.Max(s => s.Rss) / 1024.0:0.0} MB), anonymous {anonAfterWarmUp / 1024.0:0.0} → {anonAtEnd / 1024.0:0.0} MB, " +
                $"threads {threadsAfterWarmUp} → {threadsAtEnd} (at most {samples.Max(s => s.Threads)})");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task In_process_the_managed_heap_stays_flat_and_steady_state_collects_little()
    {
        int seconds = Math.Max(10, Seconds / 2);
        await using PostgresServer postgres = await PostgresServer.StartAsync();
        string connectionString = postgres.ConnectionString();
        await using LoopbackWebHost host = await ReliabilityHost.StartAsync(["livez/process", "readyz/database"],
            s => s.AddSingleton(_ => NpgsqlDataSource.Create(connectionString)), o => o.DetailsToken = "soak-token");
        await using var load = new ProbeLoad(host.Client.BaseAddress!, Paths.Where(p => p != "/healthz/resolversz").ToArray(), bearer: "soak-token");

        TimeSpan warmUp = TimeSpan.FromSeconds(Math.Max(5, seconds / 3));
        await Task.Delay(warmUp);
        long heapAfterWarmUp = Heap();
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        await Task.Delay(TimeSpan.FromSeconds(seconds) - warmUp);
        int steadyGen0 = GC.CollectionCount(0) - gen0, steadyGen1 = GC.CollectionCount(1) - gen1, steadyGen2 = GC.CollectionCount(2) - gen2;
        long heapAtEnd = Heap();
        await load.DisposeAsync();

        var samples = load.Samples;
        Assert.Equal(0, samples.Count(s => s.Status != 200));
        // The probe load's own samples live on this heap too (a few hundred KB); allow for them.
        Assert.True(heapAtEnd < heapAfterWarmUp * 1.10 + 2 * 1024 * 1024, $"managed heap {heapAfterWarmUp} → {heapAtEnd} bytes");
        Figures.Record("soak, in-process", $"{seconds} s, {samples.Count} requests, 0 errors; managed heap {heapAfterWarmUp / 1048576.0:0.0} → {heapAtEnd / 1048576.0:0.0} MB " +
            $"(includes the client's samples); GCs during steady state gen0 {steadyGen0}, gen1 {steadyGen1}, gen2 {steadyGen2} (one gen2 is the measurement's own)");
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private static (long Rss, long Anonymous, long Threads) Lowest(List<(long Rss, long Anonymous, long Threads)> samples)
        => (samples.Min(s => s.Rss), samples.Min(s => s.Anonymous), samples.Min(s => s.Threads));

    /// <summary>VmRSS and RssAnon of a process, in KB, and its thread count, from /proc.</summary>
    private static (long Rss, long Anonymous, long Threads) Measure(int pid)
    {
        string[] status = File.ReadAllLines($"/proc/{pid}/status");
        long Field(string name) => long.Parse(status.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return (Field("VmRSS:"), Field("RssAnon:"), Field("Threads:"));
    }
}
