using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using HealthGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace HealthGen.Benchmarks.Compiler;

/// <summary>
/// First and second (after an unrelated edit) runs of <see cref="HealthProbeGenerator"/> over 1,000 checks.
/// <para>
/// What the times include. The reference number is the compiler's own per-generator time,
/// <c>GeneratorDriver.GetTimingInfo().GeneratorTimes[0]</c>, which <c>-p:ReportAnalyzer=true</c> also reports: the
/// time the driver spends in this generator's pipeline, including the syntax walks for its
/// <c>ForAttributeWithMetadataName</c> providers. A <see cref="Compilation"/> computes everything lazily, and whoever
/// asks first pays: references bound to assembly symbols, the declaration table, source symbols, member signatures
/// and attributes. In a real build the generators run before anything else asks, so that work lands in the
/// generator's time although the compiler needs it anyway. The benchmark therefore runs each case on compilations in
/// different states and says which (see <see cref="State"/>):
/// </para>
/// <list type="bullet">
/// <item><b>new, of trees just parsed</b>: <c>CSharpCompilation.Create</c> from trees parsed right before (parsing not timed);
/// the generator pays for all lazy work it touches, including realizing the syntax nodes it walks (what a real build reports).</item>
/// <item><b>new, of trees walked before</b>: the same trees in a new compilation; the syntax nodes are already realized.</item>
/// <item><b>declared</b>: <c>GetDeclarationDiagnostics()</c> was called first, which completes every declaration,
/// member signature and attribute; what remains is the generator's own work.</item>
/// <item><b>edited</b> (second run): the previous compilation with one file that has no checks replaced by an
/// edited version; a new <see cref="Compilation"/> has new symbols, so the generator pays for re-creating the
/// symbols and attributes of every method it looks at.</item>
/// <item><b>edited, declared</b>: the same, with <c>GetDeclarationDiagnostics()</c> called first.</item>
/// </list>
/// <para>
/// Parsing is never included (trees are parsed once, and the edited tree before the run). Driver creation is not
/// included. <see cref="AttributeScanGenerator"/>, the same four <c>ForAttributeWithMetadataName</c> providers with a
/// transform that only reads the method's name, is measured the same way: it is the floor any generator built on
/// those providers pays, so the difference is HealthGen's own parsing, comparing and emitting.
/// </para>
/// </summary>
internal sealed class GeneratorBenchmark(Corpus corpus, int runs, bool trackSteps, Func<IIncrementalGenerator>? baseline)
{
    private static readonly string[] s_ownSteps = ["LivenessChecks", "ReadinessChecks", "StartupChecks", "ResolverChecks", "CompilationFacts", "Generation"];
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);
    private static readonly CSharpCompilationOptions s_compilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, deterministic: true);

    private readonly Dictionary<string, List<double>> _times = [];
    private readonly Dictionary<string, Dictionary<string, List<double>>> _steps = [];
    private readonly Dictionary<string, Dictionary<string, SortedDictionary<IncrementalStepRunReason, int>>> _reasons = [];
    private readonly List<string> _failures = [];

    private enum State
    {
        Parsed,
        Fresh,
        Declared,
        Edited,
        EditedDeclared,
    }

    public (int ExitCode, string Report) Run()
    {
        (ImmutableArray<MetadataReference> references, string referenceDescription) = ReferenceSet.Load();
        ImmutableArray<SyntaxTree> trees = corpus.Files
            .Select(f => CSharpSyntaxTree.ParseText(f.Text, s_parseOptions, path: f.Path))
            .ToImmutableArray();
        SyntaxTree unrelated = trees.Single(t => t.FilePath == corpus.UnrelatedFile);
        CSharpCompilation Fresh() => CSharpCompilation.Create("Bench.App", trees, references, s_compilationOptions);
        CSharpCompilation Parsed() => CSharpCompilation.Create(
            "Bench.App", corpus.Files.Select(f => CSharpSyntaxTree.ParseText(f.Text, s_parseOptions, path: f.Path)), references, s_compilationOptions);

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# HealthGen generator: {corpus.Title}");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"- {trees.Length} files, {referenceDescription}; the edit between first and second run adds a method to {corpus.UnrelatedFile}");
        report.AppendLine(CultureInfo.InvariantCulture, $"- Roslyn {typeof(CSharpCompilation).Assembly.GetName().Version}, .NET {Environment.Version}, {Environment.ProcessorCount} cores; {runs} runs per row after warm-up, medians");
        report.AppendLine(CultureInfo.InvariantCulture, $"- {Verify(Fresh())}");

        // The very first run in this process: JIT of Roslyn and the generator, and nothing of the compilation computed.
        double cold = TimeFirstRun(new HealthProbeGenerator(), Parsed(), record: null);
        for (int warm = 0; warm < 3; warm++)
        {
            Iteration(Parsed, Fresh, unrelated, edit: -1 - warm, record: false);
        }

        for (int run = 0; run < runs; run++)
        {
            Iteration(Parsed, Fresh, unrelated, edit: run, record: true);
        }

        WriteTables(report, cold);
        int exitCode = 0;
        if (_failures.Count > 0)
        {
            exitCode = 1;
            report.AppendLine();
            report.AppendLine("**FAILED: steps of a second run that were not Cached/Unchanged:**");
            foreach (string failure in _failures.Distinct())
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"- {failure}");
            }
        }

        return (exitCode, report.ToString());
    }

    /// <summary>
    /// One run of every row for HealthGen, the baseline build (when given) and the attribute-scan floor, interleaved so
    /// that all three see the same load on a shared machine.
    /// </summary>
    private void Iteration(Func<CSharpCompilation> parsed, Func<CSharpCompilation> fresh, SyntaxTree unrelated, int edit, bool record)
    {
        SyntaxTree edited = unrelated.WithChangedText(SourceText.From(corpus.Edited(edit)));
        var generators = new List<(string Name, Func<IIncrementalGenerator> Create)> { ("HealthGen", () => new HealthProbeGenerator()) };
        if (baseline is not null)
        {
            generators.Add(("baseline", baseline));
        }

        generators.Add(("scan", () => new AttributeScanGenerator()));
        foreach ((string generator, Func<IIncrementalGenerator> create) in generators)
        {
            // First run on a fresh compilation (as a build runs it).
            CSharpCompilation justParsed = parsed(); // parsing is not timed
            TimeFirstRun(create(), justParsed, record ? $"{generator}/first/{State.Parsed}" : null);
            TimeFirstRun(create(), fresh(), record ? $"{generator}/first/{State.Fresh}" : null);

            // First run on a compilation whose declarations are complete, then second runs from that driver.
            CSharpCompilation declared = fresh();
            declared.GetDeclarationDiagnostics();
            GeneratorDriver driver = NewDriver(create());
            driver = Timed(driver, declared, record ? $"{generator}/first/{State.Declared}" : null);

            CSharpCompilation editedCompilation = declared.ReplaceSyntaxTree(unrelated, edited);
            GeneratorDriver second = Timed(driver, editedCompilation, record ? $"{generator}/second/{State.Edited}" : null);
            CheckReused(second, generator, State.Edited);

            CSharpCompilation editedDeclared = declared.ReplaceSyntaxTree(unrelated, edited);
            editedDeclared.GetDeclarationDiagnostics();
            second = Timed(driver, editedDeclared, record ? $"{generator}/second/{State.EditedDeclared}" : null);
            CheckReused(second, generator, State.EditedDeclared);
        }
    }

    private double TimeFirstRun(IIncrementalGenerator generator, CSharpCompilation compilation, string? record)
    {
        GeneratorDriver driver = Timed(NewDriver(generator), compilation, record);
        return driver.GetTimingInfo().GeneratorTimes[0].ElapsedTime.TotalMilliseconds;
    }

    private GeneratorDriver Timed(GeneratorDriver driver, Compilation compilation, string? record)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        TimeSpan paused = GC.GetTotalPauseDuration();
        TimeSpan cpuStart = ThreadCpu.Now();
        long start = Stopwatch.GetTimestamp();
        GeneratorDriver after = driver.RunGenerators(compilation);
        double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        double cpu = (ThreadCpu.Now() - cpuStart).TotalMilliseconds;
        double gcPause = (GC.GetTotalPauseDuration() - paused).TotalMilliseconds;
        int gcs = GC.CollectionCount(0) - gen0, fullGcs = GC.CollectionCount(2) - gen2;
        GeneratorRunResult result = after.GetRunResult().Results[0];
        if (result.Exception is not null)
        {
            throw new InvalidOperationException("The generator threw.", result.Exception);
        }

        if (record is not null)
        {
            Add(_times, record, after.GetTimingInfo().GeneratorTimes[0].ElapsedTime.TotalMilliseconds);
            Add(_times, record + "/wall", wall);
            Add(_times, record + "/cpu", cpu);
            Add(_times, record + "/gc", gcPause);
            Add(_times, record + "/gcs", gcs);
            Add(_times, record + "/gen2", fullGcs);
            Add(_times, record + "/steps", result.TrackedSteps.Concat(result.TrackedOutputSteps).SelectMany(s => s.Value).Sum(e => e.ElapsedTime.TotalMilliseconds));
            var steps = _steps.TryGetValue(record, out var s) ? s : _steps[record] = [];
            var reasons = _reasons.TryGetValue(record, out var r) ? r : _reasons[record] = [];
            foreach ((string name, ImmutableArray<IncrementalGeneratorRunStep> entries) in result.TrackedSteps.Concat(result.TrackedOutputSteps))
            {
                Add(steps, name, entries.Sum(e => e.ElapsedTime.TotalMilliseconds));
                var counts = reasons.TryGetValue(name, out var c) ? c : reasons[name] = [];
                counts.Clear(); // the reasons of the last run; they are the same every run
                foreach (IncrementalStepRunReason reason in entries.SelectMany(e => e.Outputs).Select(o => o.Reason))
                {
                    counts[reason] = counts.TryGetValue(reason, out int n) ? n + 1 : 1;
                }
            }
        }

        return after;
    }

    /// <summary>HealthGen's own steps and its outputs must all be reused after an edit that touches no check.</summary>
    private void CheckReused(GeneratorDriver driver, string generator, State state)
    {
        if (generator == "scan" || !trackSteps)
        {
            return;
        }

        GeneratorRunResult result = driver.GetRunResult().Results[0];
        foreach (string step in s_ownSteps)
        {
            if (!result.TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> entries))
            {
                _failures.Add($"{state}: step {step} was not tracked");
                continue;
            }

            foreach (var output in entries.SelectMany(e => e.Outputs).Where(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)))
            {
                _failures.Add($"{state}: step {step} ran with reason {output.Reason}");
            }
        }

        foreach (var output in result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Where(o => o.Reason != IncrementalStepRunReason.Cached))
        {
            _failures.Add($"{state}: an output step ran with reason {output.Reason}");
        }
    }

    private GeneratorDriver NewDriver(IIncrementalGenerator generator)
        => CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator()],
            parseOptions: s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>The corpus is what it claims: every check accepted, and the generated code compiles without errors.</summary>
    private string Verify(CSharpCompilation compilation)
    {
        GeneratorDriver driver = NewDriver(new HealthProbeGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorRunResult result = driver.GetRunResult().Results[0];
        string catalog = result.GeneratedSources.Single(s => s.HintName == "HealthGen.Catalog.g.cs").SourceText.ToString();
        int registrations = CountOf(catalog, "new global::HealthGen.HealthCheckRegistration(");
        Diagnostic[] errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if ((corpus.ExpectedChecks is { } expected && registrations != expected) || errors.Length > 0)
        {
            throw new InvalidOperationException($"Corpus broken: {registrations} checks generated, {errors.Length} errors; first: {errors.FirstOrDefault()}");
        }

        string identical = "";
        if (baseline is not null)
        {
            GeneratorRunResult other = NewDriver(baseline()).RunGenerators(compilation).GetRunResult().Results[0];
            bool same = other.GeneratedSources.Length == result.GeneratedSources.Length
                && other.GeneratedSources.Zip(result.GeneratedSources).All(p => p.First.HintName == p.Second.HintName
                    && p.First.SourceText.ToString() == p.Second.SourceText.ToString());
            if (!same)
            {
                throw new InvalidOperationException("The baseline generator's output differs from this generator's on the corpus.");
            }

            identical = "; the baseline generator's output is identical";
        }

        return $"the corpus compiles with the generated code without errors; the catalog registers all {registrations} checks in {result.GeneratedSources.Length} generated files ({result.GeneratedSources.Sum(s => s.SourceText.Length) / 1024} KiB){identical}";
    }

    private void WriteTables(StringBuilder report, double cold)
    {
        string Median(string key) => Format(MedianOf(_times[key]));
        string Range(string key) => $"{Format(_times[key].Min())}–{Format(_times[key].Max())}";

        report.AppendLine();
        report.AppendLine("Generator ms = `GetTimingInfo().GeneratorTimes[0]` (what `-p:ReportAnalyzer=true` reports, elapsed time); CPU ms = the measuring thread's CPU time during `RunGenerators` (the driver runs generators on the calling thread; unlike elapsed time it does not grow while other processes hold the cores). Floor = the same four `ForAttributeWithMetadataName` providers with a transform that reads only the method's name.");
        report.AppendLine();
        string baselineHeader = baseline is null ? "" : " baseline generator ms | baseline CPU ms |";
        report.AppendLine($"| run | compilation before the run | HealthGen generator ms | range | HealthGen CPU ms | in tracked steps ms | GC pause ms |{baselineHeader} floor generator ms | floor CPU ms |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|" + (baseline is null ? "" : "---:|---:|") + "---:|---:|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| first, cold process (once) | new, of trees just parsed | {Format(cold)} | | | | |{(baseline is null ? "" : " | |")} | |");
        foreach ((string run, State state, string description) in new[]
        {
            ("first", State.Parsed, "new, of trees just parsed: nothing computed (as in a build)"),
            ("first", State.Fresh, "new, of trees walked before (syntax nodes realized)"),
            ("first", State.Declared, "declarations, signatures, attributes complete"),
            ("second", State.Edited, "unrelated file edited, nothing computed"),
            ("second", State.EditedDeclared, "unrelated file edited, declarations complete"),
        })
        {
            string key = $"HealthGen/{run}/{state}";
            string floor = $"scan/{run}/{state}";
            string baselineCells = baseline is null ? "" : $" {Median($"baseline/{run}/{state}")} | {Median($"baseline/{run}/{state}/cpu")} |";
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {run} | {description} | {Median(key)} | {Range(key)} | {Median(key + "/cpu")} | {Median(key + "/steps")} | {Median(key + "/gc")} |{baselineCells} {Median(floor)} | {Median(floor + "/cpu")} |");
        }

        double Ratio(State second, State first, string measure) => MedianOf(_times[$"HealthGen/second/{second}{measure}"]) / MedianOf(_times[$"HealthGen/first/{first}{measure}"]);
        report.AppendLine();
        report.AppendLine("| ratio second / first (medians) | generator ms | CPU ms |");
        report.AppendLine("|---|---:|---:|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| as the driver reports it (edited / new of trees just parsed) | {Ratio(State.Edited, State.Parsed, ""):P1} | {Ratio(State.Edited, State.Parsed, "/cpu"):P1} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| without the compiler's lazy declaration work (edited, declared / declared) | {Ratio(State.EditedDeclared, State.Declared, ""):P1} | {Ratio(State.EditedDeclared, State.Declared, "/cpu"):P1} |");

        if (!trackSteps)
        {
            report.AppendLine();
            report.AppendLine("Run with --untracked: steps were not tracked, so neither their times nor their reasons are known.");
            return;
        }

        report.AppendLine();
        report.AppendLine("Per-step time (sum of `IncrementalGeneratorRunStep.ElapsedTime` per step name, median ms) and the reasons of the step outputs.");
        report.AppendLine("`*_ForAttributeWithMetadataName` are Roslyn's steps inside each of the four `ForAttributeWithMetadataName` providers; their `result_` step runs HealthGen's transform (`Parser.ParseCheck`).");
        report.AppendLine();
        List<string> columns = ["HealthGen/first/Declared", "HealthGen/second/Edited", "HealthGen/second/EditedDeclared"];
        string header = "| step | first, declared | second, edited | second, edited + declared |";
        if (baseline is not null)
        {
            columns.AddRange(["baseline/second/Edited", "baseline/second/EditedDeclared"]);
            header += " baseline: second, edited | baseline: second, edited + declared |";
        }

        columns.AddRange(["scan/second/Edited", "scan/second/EditedDeclared"]);
        report.AppendLine(header + " floor: second, edited | floor: second, edited + declared | reasons (HealthGen second, edited) |");
        report.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", columns.Count)) + "---|");
        var quick = new List<string>();
        foreach (string step in _steps[columns[1]].Keys.OrderByDescending(k => MedianOf(_steps[columns[1]][k])))
        {
            string reasons = string.Join(", ", _reasons[columns[1]][step].Select(r => $"{r.Key} {r.Value}"));
            if (MedianOf(_steps[columns[1]][step]) < 0.05 && MedianOf(_steps[columns[0]][step]) < 0.05)
            {
                quick.Add($"{step} ({reasons})");
                continue;
            }

            string cells = string.Join(" | ", columns.Select(c => _steps[c].TryGetValue(step, out var values) ? Format(MedianOf(values)) : ""));
            report.AppendLine(CultureInfo.InvariantCulture, $"| {step} | {cells} | {reasons} |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Steps under 0.05 ms in both runs: {string.Join("; ", quick)}.");
    }

    private static void Add<TKey>(Dictionary<TKey, List<double>> map, TKey key, double value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out List<double>? values))
        {
            map[key] = values = [];
        }

        values.Add(value);
    }

    private static double MedianOf(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Format(double milliseconds) => milliseconds.ToString("0.0", CultureInfo.InvariantCulture);

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

/// <summary>
/// The floor: HealthGen's four <c>ForAttributeWithMetadataName</c> providers with a transform that only reads the
/// method's name, collected into one output that emits nothing. What it costs, any generator built on those
/// providers costs; HealthGen's time above it is its own parsing, comparing and emitting.
/// </summary>
internal sealed class AttributeScanGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<string> Scan(string attribute) => context.SyntaxProvider.ForAttributeWithMetadataName(
            attribute, static (node, _) => node is MethodDeclarationSyntax, static (attributeContext, _) => attributeContext.TargetSymbol.Name);

        var all = Scan("HealthGen.LivenessCheckAttribute").Collect()
            .Combine(Scan("HealthGen.ReadinessCheckAttribute").Collect())
            .Combine(Scan("HealthGen.StartupCheckAttribute").Collect())
            .Combine(Scan("HealthGen.ResolverCheckAttribute").Collect());
        context.RegisterSourceOutput(all, static (_, _) => { });
    }
}

/// <summary>The sources measured, the file without checks that the second run edits, and the edit.</summary>
internal sealed record Corpus(string Title, IReadOnlyList<(string Path, string Text)> Files, string UnrelatedFile, Func<int, string> Edited, int? ExpectedChecks)
{
    public static Corpus Generated(int classes)
        => new($"{classes * CheckCorpus.ChecksPerClass} checks in {classes} classes", CheckCorpus.Create(classes),
            CheckCorpus.UnrelatedFile, CheckCorpus.EditedUnrelatedFile, classes * CheckCorpus.ChecksPerClass);

    /// <summary>Every .cs file under <paramref name="directory"/> (e.g. the project benchmarks/analyzers.sh generates).</summary>
    public static Corpus FromDirectory(string directory)
    {
        string root = System.IO.Path.GetFullPath(directory);
        List<(string Path, string Text)> files = System.IO.Directory.GetFiles(root, "*.cs", System.IO.SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => (System.IO.Path.GetRelativePath(root, f), System.IO.File.ReadAllText(f)))
            .ToList();
        string[] markers = ["[LivenessCheck", "[ReadinessCheck", "[StartupCheck", "[ResolverCheck"];
        (string path, string text) = files.First(f => !markers.Any(m => f.Text.Contains(m, StringComparison.Ordinal)) && f.Text.Contains('}', StringComparison.Ordinal));
        int checks = files.Sum(f => markers.Sum(m => CountOf(f.Text, m)));
        return new($"{checks} check attributes in {files.Count} files of {root}", files, path,
            edit => text.Insert(text.LastIndexOf('}'), $"    public static int AddedByEdit{edit}() => {edit};\n"), null);
    }

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
