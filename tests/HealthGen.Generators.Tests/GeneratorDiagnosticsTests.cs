using System.IO;
using System.Threading.Tasks;
using HealthGen.Generators.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;

namespace HealthGen.Generators.Tests;

/// <summary>
/// The generator reports nothing of its own (the analyzers say what is wrong with a check, docs/generator.md)
/// and never breaks a build: run through the Roslyn SDK's source-generator test, which fails on any diagnostic
/// not expected, including the warning the compiler gives when a generator throws (CS8785).
/// </summary>
public sealed class GeneratorDiagnosticsTests
{
    [Fact]
    public Task Invalid_methods_get_no_generator_diagnostic_and_the_output_compiles_without_warnings()
    {
        var test = new HealthGenGeneratorTest
        {
            TestCode = InvalidMethodTests.Source,
            CompilerDiagnostics = CompilerDiagnostics.Warnings,
            // The text of the generated sources is what the baseline tests compare.
            TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck,
        };
        return test.RunAsync();
    }

    [Fact]
    public Task Operations_settings_that_do_not_compile_break_nothing_of_the_generator()
    {
        var test = new HealthGenGeneratorTest
        {
            TestCode = """
                using HealthGen;
                public static class Broken
                {
                    [ReadinessCheck("a", DependsOn = new[] { {|CS0103:Missing|} })] public static bool A() => true;
                    [ReadinessCheck("b", DependsOn = {|CS0029:"b_dependency"|})] public static bool B() => true;
                    [ReadinessCheck("c", PeriodMs = {|CS0029:"often"|}, FailureThreshold = {|CS0103:Three|})] public static bool C() => true;
                    [ReadinessCheck("d", DependsOn = {|CS0826:new[] { "a", 1 }|})] public static bool D() => true;
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.Warnings,
            // Whether such a check is emitted does not matter (the build has failed); that nothing throws does.
            TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck,
        };
        return test.RunAsync();
    }

    [Fact]
    public Task Source_that_does_not_compile_gets_the_output_of_an_application_without_checks()
    {
        var test = new HealthGenGeneratorTest
        {
            TestCode = """
                using HealthGen;
                public static class Broken
                {
                    [LivenessCheck]
                    public static {|CS0246:UnknownType|} Missing() => null;

                    [ReadinessCheck(nameof({|CS0103:Nope|}))]
                    public static bool UnknownName({|CS0246:UnknownService|} service) => true;

                    [LivenessCheck]
                    public static bool
                {|CS1519:}|}
                """,
            CompilerDiagnostics = CompilerDiagnostics.Warnings,
        };

        // No catalog: exactly what an application without checks gets (its reviewed baselines).
        foreach (string hintName in new[] { "HealthGen.Endpoints.g.cs", "HealthGen.JsonContext.g.cs" })
        {
            string baseline = HealthGen.Testing.RepositoryPaths.Combine("tests", "HealthGen.Generators.Tests", "Baselines", nameof(GeneratorBaselineTests.ApplicationWithoutChecks), hintName + ".txt");
            test.TestState.GeneratedSources.Add((typeof(HealthProbeGenerator), hintName, File.ReadAllText(baseline)));
        }

        return test.RunAsync();
    }
}
