using System.Linq;
using HealthGen.Generators.Helpers;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Tests;

/// <summary>
/// A library's generator declares its checks in assembly attributes; an application's generator reads them (the
/// declarations its analyzers use for HG0004, HG0010 and HG0011) and drops its own check whose name a referenced
/// assembly already has in that probe, as it drops a name taken twice within the application.
/// </summary>
public sealed class ReferencedDeclarationsTests
{
    private const string Library = """
        using HealthGen;

        namespace Lib;

        public static class LibraryChecks
        {
            [ReadinessCheck("database")]
            public static bool Database() => true;

            [ReadinessCheck("queue", DependsOn = new[] { "database" })]
            public static bool Queue() => true;

            [ResolverCheck("users", Kind = "ldapresolver", PeriodMs = 1000)]
            public static bool Users() => true;

            [ReadinessCheck("Not Valid")]
            public static bool Invalid() => true;
        }
        """;

    private const string Application = """
        using HealthGen;

        namespace App;

        public static class AppChecks
        {
            [ReadinessCheck("database")]
            public static bool SameNameAsTheLibrary() => true;

            [LivenessCheck("database")]
            public static bool SameNameOtherProbe() => true;

            [ResolverCheck("users", Kind = "sqlresolver")]
            public static bool SameNameOtherKind() => true;

            [ReadinessCheck("orders", DependsOn = new[] { "queue" })]
            public static bool Orders() => true;
        }
        """;

    [Fact]
    public void The_application_reads_what_the_library_declares()
    {
        GeneratorOutcome outcome = RunApplication();
        var facts = (CompilationFacts)outcome.Result.TrackedSteps[TrackingNames.CompilationFacts].Single().Outputs.Single().Value;

        CheckDeclaration[] expected =
        [
            new("Lib", ProbeSpec.Readiness, null, "database", default),
            new("Lib", ProbeSpec.Readiness, null, "queue", new[] { "database" }.ToEquatableArray()),
            new("Lib", ProbeSpec.Resolver, "ldapresolver", "users", default),
        ];
        Assert.Equal(expected, facts.ReferencedChecks.Items);
    }

    [Fact]
    public void A_check_whose_name_a_referenced_assembly_has_in_its_probe_is_not_emitted()
    {
        GeneratorOutcome outcome = RunApplication();
        GeneratorHarness.AssertCompilesCleanly(outcome.Output);
        var generation = (GenerationSpec)outcome.Result.TrackedSteps[TrackingNames.Generation].Single().Outputs.Single().Value;

        Assert.Equal(["SameNameOtherProbe", "Orders", "SameNameOtherKind"], generation.Checks.Select(c => c.MethodName));
        // The library's own catalog still serves its "database"; the application composes it.
        Assert.Contains("HealthCheckCatalog_Lib.Checks", outcome.Source("HealthGen.Endpoints.g.cs"));
        Assert.DoesNotContain("ProbeKind.Readiness, \"database\"", outcome.Source("HealthGen.Catalog.g.cs"));
    }

    [Fact]
    public void Assemblies_without_declarations_contribute_none()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Application, "App"));
        var facts = (CompilationFacts)outcome.Result.TrackedSteps[TrackingNames.CompilationFacts].Single().Outputs.Single().Value;
        Assert.Empty(facts.ReferencedChecks);
    }

    private static GeneratorOutcome RunApplication()
    {
        MetadataReference library = GeneratorHarness.BuildLibrary(Library, "Lib").ToMetadataReference();
        return GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Application, "App", [library]));
    }
}
