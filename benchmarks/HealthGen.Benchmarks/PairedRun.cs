using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Benchmarks;

/// <summary>
/// The in-process comparisons again, interleaved: every variant of a group serves a batch of requests in turn, round
/// after round, in one process, and each ratio is the median of the per-round ratios. BenchmarkDotNet measures each
/// benchmark in its own process, one after another; on a shared machine (here: stolen CPU time, ±30 % from one process
/// to the next) that drift lands in the ratios. Interleaving puts it on all variants alike.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/HealthGen.Benchmarks -- --paired [rounds] [batch] [group]</c>; with
/// <c>group</c> (a word of a group's title, such as <c>asynchronous</c>) only the groups whose title contains it run. Bytes per
/// request are counted on all threads (<see cref="GC.GetTotalAllocatedBytes(bool)"/>), so an execution on the thread
/// pool counts too. Nothing here is timed by a test.
/// </remarks>
public static class PairedRun
{
    private sealed record Group(string Title, bool AsyncChecks, int ReadinessCacheMs, string[] Paths);

    public static async Task RunAsync(int rounds, int batch, string? groupFilter, string output)
    {
        Group[] groups =
        [
            new("Liveness (one inline check, not cached)", false, 3_600_000, ["/raw/livez", "/hg/livez", "/mhc/livez", "/mhc-json/livez"]),
            new("Readiness, three checks, cache hit", false, 3_600_000, ["/raw/readyz", "/hg/readyz", "/mhc/readyz", "/mhc-json/readyz"]),
            new("Readiness, three synchronous checks, cache miss", false, 0, ["/mhc/readyz", "/hg/readyz", "/mhc-json/readyz", "/raw/readyz"]),
            new("Readiness, three asynchronous checks, cache miss", true, 0, ["/mhc/readyz", "/hg/readyz", "/mhc-json/readyz", "/raw/readyz"]),
        ];

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Paired in-process run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {rounds} rounds of {batch} requests per variant, load average at start {LoadAverage()}.");
        foreach (Group group in groups)
        {
            if (groupFilter is not null && !group.Title.Contains(groupFilter, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            await using BenchmarkHost host = BenchmarkHost.Start(group.AsyncChecks, group.ReadinessCacheMs);
            report.AppendLine().AppendLine("**" + group.Title + "**").AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"| variant | median | ratio to {group.Paths[0]} (p25–p75) | bytes per request |");
            report.AppendLine("|---|---:|---:|---:|");
            foreach ((string path, double median, double ratio, double p25, double p75, double bytes) in await MeasureAsync(host, group.Paths, rounds, batch))
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"| `{path}` | {median:N0} ns | {ratio:0.00} ({p25:0.00}–{p75:0.00}) | {bytes:N0} B |");
            }
        }

        Console.WriteLine(report);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, report.ToString());
        Console.WriteLine("written to " + output);
    }

    private static async Task<List<(string Path, double Median, double Ratio, double P25, double P75, double Bytes)>> MeasureAsync(
        BenchmarkHost host, string[] paths, int rounds, int batch)
    {
        InMemoryConnection connection = host.Connection;
        foreach (string path in paths)
        {
            for (int i = 0; i < 20_000; i++)
            {
                await connection.GetAsync(path); // JIT tiers, pools
            }

            if (connection.StatusCode != 200)
            {
                throw new InvalidOperationException($"{path} answered {connection.StatusCode}.");
            }
        }

        var times = paths.Select(_ => new double[rounds]).ToArray();
        var bytes = new long[paths.Length];
        for (int round = 0; round < rounds; round++)
        {
            for (int p = 0; p < paths.Length; p++)
            {
                int variant = (p + round) % paths.Length; // rotate the order, so no variant always follows the same one
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                long started = Stopwatch.GetTimestamp();
                for (int i = 0; i < batch; i++)
                {
                    await connection.GetAsync(paths[variant]);
                }

                times[variant][round] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / batch;
                bytes[variant] += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            }
        }

        var results = new List<(string, double, double, double, double, double)>();
        for (int p = 0; p < paths.Length; p++)
        {
            double[] ratios = Enumerable.Range(0, rounds).Select(r => times[p][r] / times[0][r]).Order().ToArray();
            double[] sorted = times[p].Order().ToArray();
            results.Add((paths[p], sorted[rounds / 2], ratios[rounds / 2], ratios[rounds / 4], ratios[3 * rounds / 4], bytes[p] / (double)(rounds * batch)));
        }

        return results;
    }

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
