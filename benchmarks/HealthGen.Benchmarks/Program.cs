using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace HealthGen.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>dotnet run -c Release --project benchmarks/HealthGen.Benchmarks -- --filter '*'</c>; BenchmarkDotNet's own
    /// options apply (<c>--filter '*Liveness*'</c>, <c>--job short</c>). Results: BenchmarkDotNet.Artifacts/results.
    /// <c>-- --paired [rounds] [batch] [group]</c>: the same requests interleaved in one process (<see cref="PairedRun"/>).
    /// </summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--paired")
        {
            int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
            int batch = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 500;
            string? group = args.Length > 3 ? args[3] : null;
            PairedRun.RunAsync(rounds, batch, group, group is null ? "artifacts/bench/paired.md" : $"artifacts/bench/paired-{group}.md").GetAwaiter().GetResult();
            return;
        }

        IConfig config = DefaultConfig.Instance
            .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(12).AsDefault())
            .AddColumn(StatisticColumn.P95)
            .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
