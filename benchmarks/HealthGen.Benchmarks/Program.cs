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
    /// </summary>
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(12).AsDefault())
            .AddColumn(StatisticColumn.P95)
            .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
