using System;
using System.Globalization;
using System.IO;

namespace HealthGen.Benchmarks.Compiler;

/// <summary>
/// Compile-time cost of HealthGen, in process, with the compiler's own numbers.
/// <code>
/// dotnet run -c Release --project benchmarks/HealthGen.Benchmarks.Compiler -- generator [--runs 15] [--classes 200] [--out file.md]
///     [--baseline path/to/other/HealthGen.Generators.dll] [--untracked]
/// </code>
/// <c>--baseline</c> loads another build of the generator (e.g. a copy of bin/ from before a change) and measures it in
/// the same process, interleaved with this one, so before/after comparisons share the machine's load.
/// <c>--sources dir</c> measures every .cs file under dir instead of the generated corpus (e.g. the 2,000-file project
/// benchmarks/analyzers.sh writes to artifacts/bench/analyzers/src), editing the first file without checks.
/// <c>--untracked</c> turns off step tracking (no per-step table, no Cached/Unchanged check).
/// <c>generator</c>: 1,000 checks in 200 classes; first run on a fresh driver and second run after an unrelated
/// edit, timed with <see cref="Microsoft.CodeAnalysis.GeneratorDriver.GetTimingInfo"/> (the number
/// <c>-p:ReportAnalyzer=true</c> reports), every tracked step of the second run checked Cached/Unchanged.
/// The build-time cost of the analyzers and the generator on a 2,000-file project is benchmarks/analyzers.sh.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string mode = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "generator";
        int runs = 15, classes = 200;
        string? output = null;
        bool trackSteps = true;
        string? baseline = null;
        string? sources = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--classes" when i + 1 < args.Length:
                    classes = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--baseline" when i + 1 < args.Length:
                    baseline = args[++i];
                    break;
                case "--sources" when i + 1 < args.Length:
                    sources = args[++i];
                    break;
                case "--untracked":
                    trackSteps = false;
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
            }
        }

        if (mode != "generator")
        {
            Console.Error.WriteLine($"unknown mode '{mode}'; modes: generator");
            return 2;
        }

        var benchmark = new GeneratorBenchmark(sources is null ? Corpus.Generated(classes) : Corpus.FromDirectory(sources), runs, trackSteps, baseline is null ? null : BaselineGenerator.Load(baseline));
        (int exitCode, string report) = benchmark.Run();
        Console.WriteLine(report);
        if (output is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, report);
        }

        return exitCode;
    }
}
