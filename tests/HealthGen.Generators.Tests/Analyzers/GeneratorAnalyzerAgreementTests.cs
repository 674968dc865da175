using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Tests.Analyzers;

/// <summary>
/// The generator and the analyzers must agree: a check an analyzer reports as an error gets no generated
/// endpoint, and a check the generator emits has no error. Checked over a corpus of valid and invalid checks.
/// </summary>
public sealed class GeneratorAnalyzerAgreementTests
{
    private const string Corpus = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using HealthGen;
        using Microsoft.Extensions.DependencyInjection;

        namespace App;

        public interface IStore { bool Ping(); }

        public class Checks
        {
            [LivenessCheck] public static bool Valid() => true;
            [LivenessCheck] public static void ValidVoid() { }
            [ReadinessCheck("keyed")] public static bool Keyed([FromKeyedServices("k")] IStore store) => true;
            [ReadinessCheck] public async Task<HealthResult> InstanceAsync(IStore store, CancellationToken ct) { await Task.Yield(); return HealthResult.Healthy(); }
            [ResolverCheck("r1", Kind = "sqlresolver")] public static ValueTask<bool> Resolver() => new(true);
            [LivenessCheck("both"), ReadinessCheck("both")] public static bool Both() => true;
            [ReadinessCheck("blocking")] public static bool Blocking() => Task.FromResult(true).Result;

            [LivenessCheck] private static bool PrivateMethod() => true;
            [LivenessCheck] public static bool GenericMethod<T>() => true;
            [LivenessCheck] public static int WrongReturn() => 1;
            [ReadinessCheck] public static bool Primitive(int port) => true;
            [ReadinessCheck] public static bool ByRef(ref int value) => true;
            [ReadinessCheck("Bad Name")] public static bool BadName() => true;
            [ReadinessCheck(TimeoutMs = 0)] public static bool ZeroTimeout() => true;
            [ResolverCheck("nokind")] public static bool NoKind() => true;
            [StartupCheck("dup")] public static bool DuplicateOne() => true;
            [StartupCheck("dup")] public static bool DuplicateTwo() => true;
            [StartupCheck("dup2")] public static bool DuplicateValid() => true;
            [StartupCheck("dup2")] private static bool DuplicateInvalid() => true;
            [LivenessCheck] public static async void AsyncVoid() => await Task.Yield();

            [ReadinessCheck("bg", PeriodMs = 5000, FailureThreshold = 3)] public static bool Background() => true;
            [ReadinessCheck("dependent", DependsOn = new[] { "bg" })] public static bool Dependent() => true;
            [ReadinessCheck("uses_library", DependsOn = new[] { "library_store" })] public static bool UsesLibrary() => true;
            [ReadinessCheck("bg_cached", PeriodMs = 1000, CacheMs = 500)] public static bool BackgroundCached() => true;
            [ReadinessCheck("negative_period", PeriodMs = -1)] public static bool NegativePeriod() => true;
            [ReadinessCheck("zero_threshold", FailureThreshold = 0)] public static bool ZeroThreshold() => true;
            [ReadinessCheck("bad_dependency", DependsOn = new[] { "Not Valid" })] public static bool BadDependency() => true;
            [ReadinessCheck("self_dependency", DependsOn = new[] { "self_dependency" })] public static bool SelfDependency() => true;
            [ReadinessCheck("unknown_dependency", DependsOn = new[] { "nowhere" })] public static bool UnknownDependency() => true;
            [StartupCheck("cycle_a", DependsOn = new[] { "cycle_b" })] public static bool CycleA() => true;
            [StartupCheck("cycle_b", DependsOn = new[] { "cycle_a" })] public static bool CycleB() => true;
            [ReadinessCheck("library_store")] public static bool SameNameAsLibrary() => true;

            protected class Hidden { [LivenessCheck] public static bool Inside() => true; }
        }

        public static class Generic<T> { [LivenessCheck] public static bool InGeneric() => true; }

        public struct OnStruct { [LivenessCheck] public bool Instance() => true; }
        """;

    /// <summary>
    /// Errors about the relations between checks leave the checks served: an unknown dependency (HG0010) or a cycle
    /// (HG0011) is a property of the whole application, dropping one check would leave its dependents' names dangling,
    /// and the runtime validates the composed checks at start-up (docs/generator.md, "What it rejects").
    /// </summary>
    private static readonly string[] ErrorsThatKeepTheEndpoint = ["HG0010", "HG0011"];

    [Fact]
    public async Task A_check_gets_an_endpoint_exactly_when_no_analyzer_reports_an_error()
    {
        // The corpus references a library built with the generator: HG0004 and HG0010 look at its declarations.
        MetadataReference library = GeneratorHarness.BuildLibrary(Sources.Library, "Lib").ToMetadataReference();
        var compilation = GeneratorHarness.CreateCompilation(Corpus, extraReferences: [library]);
        GeneratorOutcome outcome = GeneratorHarness.Run(compilation);
        var generation = (GenerationSpec)outcome.Result.TrackedSteps[TrackingNames.Generation].Single().Outputs.Single().Value;
        HashSet<string> generated = generation.Checks.Select(c => c.MethodName).ToHashSet();

        ImmutableArray<Diagnostic> diagnostics = await compilation
            .WithAnalyzers(AllAnalyzers(), new AnalyzerOptions([]))
            .GetAnalyzerDiagnosticsAsync();

        SyntaxTree tree = compilation.SyntaxTrees.Single();
        MethodDeclarationSyntax[] checks = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.AttributeLists.Count > 0).ToArray();
        Assert.Equal(35, checks.Length);

        foreach (MethodDeclarationSyntax method in checks)
        {
            string name = method.Identifier.ValueText;
            Diagnostic[] errors = DiagnosticsOf(method, diagnostics)
                .Where(d => d.Severity == DiagnosticSeverity.Error && !ErrorsThatKeepTheEndpoint.Contains(d.Id)).ToArray();
            bool hasEndpoint = generated.Contains(name);
            Assert.True(hasEndpoint != (errors.Length > 0),
                $"{name}: endpoint generated = {hasEndpoint}, errors = [{string.Join("; ", errors.Select(e => e.GetMessage()))}]");
        }

        Assert.Contains("Both", generated);      // HG0009 is a warning: the checks are still served
        Assert.Contains("Blocking", generated);  // HG0006 is a warning
        Assert.Contains("DuplicateValid", generated); // its twin is private (HG0005), so the name is not taken twice
        Assert.Contains("BackgroundCached", generated); // HG0012 is a warning
        Assert.Contains("UsesLibrary", generated);      // its dependency is the library's check

        // The ids behind the corpus's new cases, so the loop above is not satisfied by some other error.
        (string Method, string Id)[] expected =
        [
            ("NegativePeriod", "HG0008"), ("ZeroThreshold", "HG0008"), ("BadDependency", "HG0008"), ("SelfDependency", "HG0008"),
            ("UnknownDependency", "HG0010"), ("CycleA", "HG0011"), ("CycleB", "HG0011"), ("SameNameAsLibrary", "HG0004"), ("BackgroundCached", "HG0012"),
        ];
        foreach ((string method, string id) in expected)
        {
            Assert.Contains(DiagnosticsOf(checks.Single(m => m.Identifier.ValueText == method), diagnostics), d => d.Id == id);
        }

        // Errors about relations between checks keep the endpoint: the runtime validates at start-up.
        Assert.Contains("UnknownDependency", generated);
        Assert.Contains("CycleA", generated);
        Assert.Contains("CycleB", generated);
        Assert.DoesNotContain("SameNameAsLibrary", generated);
    }

    private static Diagnostic[] DiagnosticsOf(MethodDeclarationSyntax method, ImmutableArray<Diagnostic> diagnostics)
        => diagnostics.Where(d => d.Location.IsInSource && method.FullSpan.Contains(d.Location.SourceSpan)).ToArray();

    internal static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers()
        => typeof(HealthProbeGenerator).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
}

/// <summary>Every descriptor links to its docs page, the page exists, and release tracking lists the rule.</summary>
public sealed class DescriptorTests
{
    [Fact]
    public void Every_rule_has_its_own_analyzer_a_help_link_a_docs_page_and_a_release_entry()
    {
        string root = HealthGen.Testing.RepositoryPaths.Root;
        string unshipped = File.ReadAllText(Path.Combine(root, "src", "HealthGen.Generators", "AnalyzerReleases.Unshipped.md"));
        DiagnosticDescriptor[] descriptors = GeneratorAnalyzerAgreementTests.AllAnalyzers().SelectMany(a => a.SupportedDiagnostics).ToArray();

        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"HG{i:0000}"), descriptors.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            Assert.Equal("HealthGen", descriptor.Category);
            Assert.Equal($"https://github.com/healthgen/healthgen/blob/main/docs/diagnostics/{descriptor.Id}.md", descriptor.HelpLinkUri);
            string page = Path.Combine(root, "docs", "diagnostics", descriptor.Id + ".md");
            Assert.True(File.Exists(page), $"{descriptor.Id} has no docs page at {page}");
            Assert.StartsWith($"# {descriptor.Id}", File.ReadAllText(page));
            Assert.Contains($"{descriptor.Id} | HealthGen | {descriptor.DefaultSeverity}", unshipped);
        }
    }
}
