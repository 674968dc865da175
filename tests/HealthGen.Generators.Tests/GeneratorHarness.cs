using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HealthGen.Generators.Tests;

/// <summary>
/// Runs HealthProbeGenerator over in-memory compilations, the way the compiler does, for what the Roslyn SDK's
/// test libraries do not do: baselines with an update switch, the incremental (Cached/Unchanged) runs, the
/// model-purity walk and loading and executing the generated code.
/// </summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation CreateCompilation(string source, string assemblyName = "TestApp", IEnumerable<MetadataReference>? extraReferences = null)
        => CreateCompilation([source], assemblyName, extraReferences);

    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, string assemblyName = "TestApp", IEnumerable<MetadataReference>? extraReferences = null)
        => CSharpCompilation.Create(
            assemblyName,
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References.AddRange(extraReferences ?? []),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, deterministic: true));

    public static GeneratorDriver CreateDriver(bool trackSteps = true)
        => CSharpGeneratorDriver.Create(
            [new HealthProbeGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public static GeneratorOutcome Run(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Empty(diagnostics);
        return new GeneratorOutcome(driver, (CSharpCompilation)output, result);
    }

    /// <summary>Compiles a library with the generator, as its own build would, for "referenced library" scenarios.</summary>
    public static CSharpCompilation BuildLibrary(string source, string assemblyName)
    {
        GeneratorOutcome outcome = Run(CreateCompilation(source, assemblyName));
        AssertCompilesCleanly(outcome.Output);
        return outcome.Output;
    }

    public static void AssertCompilesCleanly(Compilation compilation)
    {
        Diagnostic[] problems = compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToArray();
        Assert.True(problems.Length == 0, "The generated code does not compile cleanly:\n" + string.Join("\n", problems.Select(p => p.ToString())));
    }

    /// <summary>
    /// Emits and loads the compilation (and in-memory libraries it references) into a collectible context;
    /// everything else (HealthGen, ASP.NET Core) resolves from the test's own context, so types match.
    /// </summary>
    public static Assembly Load(Compilation compilation, params Compilation[] libraries)
    {
        var context = new InMemoryLoadContext(compilation.AssemblyName!);
        foreach (Compilation library in libraries)
        {
            context.Add(library);
        }

        return context.Add(compilation);
    }

    private sealed class InMemoryLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
    {
        private readonly Dictionary<string, Assembly> _loaded = new(StringComparer.Ordinal);

        public Assembly Add(Compilation compilation)
        {
            using var stream = new MemoryStream();
            var emitted = compilation.Emit(stream);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
            stream.Position = 0;
            Assembly assembly = LoadFromStream(stream);
            _loaded[compilation.AssemblyName!] = assembly;
            return assembly;
        }

        protected override Assembly? Load(AssemblyName assemblyName)
            => assemblyName.Name is { } name && _loaded.TryGetValue(name, out Assembly? assembly) ? assembly : null;
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(path =>
            {
                string name = Path.GetFileName(path);
                return name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
                    || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll" or "HealthGen.dll";
            })
            .Where(path => !path.Contains("CodeAnalysis", StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}

internal sealed record GeneratorOutcome(GeneratorDriver Driver, CSharpCompilation Output, GeneratorRunResult Result)
{
    public string Source(string hintName) => Result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    public bool HasSource(string hintName) => Result.GeneratedSources.Any(s => s.HintName == hintName);
}

/// <summary>
/// Compares generated sources with files under Baselines/&lt;test&gt;/. Set HEALTHGEN_UPDATE_BASELINES=1 to
/// rewrite them; that also deletes baselines the generator no longer produces.
/// </summary>
internal static class Baselines
{
    public const string UpdateVariable = "HEALTHGEN_UPDATE_BASELINES";

    public static void Verify(GeneratorOutcome outcome, [CallerMemberName] string test = "")
    {
        string directory = HealthGen.Testing.RepositoryPaths.Combine("tests", "HealthGen.Generators.Tests", "Baselines", test);
        bool update = Environment.GetEnvironmentVariable(UpdateVariable) == "1";
        var expectedFiles = new HashSet<string>(StringComparer.Ordinal);

        foreach (GeneratedSourceResult generated in outcome.Result.GeneratedSources)
        {
            string file = Path.Combine(directory, generated.HintName + ".txt");
            expectedFiles.Add(Path.GetFileName(file));
            string actual = generated.SourceText.ToString().ReplaceLineEndings("\n");
            if (update)
            {
                Directory.CreateDirectory(directory);
                File.WriteAllText(file, actual);
                continue;
            }

            Assert.True(File.Exists(file), $"No baseline {file}. Run the tests with {UpdateVariable}=1 to create it, then review it.");
            string expected = File.ReadAllText(file).ReplaceLineEndings("\n");
            Assert.True(expected == actual, $"{generated.HintName} differs from its baseline {file}. If the change is intended, run with {UpdateVariable}=1 and review the diff.\n--- actual ---\n{actual}");
        }

        string[] stale = Directory.Exists(directory)
            ? Directory.GetFiles(directory).Where(f => !expectedFiles.Contains(Path.GetFileName(f))).ToArray()
            : [];
        if (update)
        {
            Array.ForEach(stale, File.Delete);
        }
        else
        {
            Assert.True(stale.Length == 0, $"Baselines the generator no longer produces: {string.Join(", ", stale)} (run with {UpdateVariable}=1 to delete them).");
        }
    }
}
