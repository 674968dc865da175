using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Tests;

/// <summary>
/// The generated sources for each supported shape of check, compared with reviewed baselines, and each
/// compilation with the generated code checked for zero errors and zero warnings.
/// </summary>
public sealed class GeneratorBaselineTests
{
    [Fact]
    public void ReturnTypes() => VerifyClean(Sources.ReturnTypes);

    [Fact]
    public void InstanceChecks() => VerifyClean(Sources.InstanceChecks);

    [Fact]
    public void KeyedAndOptionalServices() => VerifyClean(Sources.ServiceParameters);

    [Fact]
    public void ResolversWithKinds() => VerifyClean(Sources.Resolvers);

    [Fact]
    public void OperationsSettings()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Sources.OperationsSettings));
        GeneratorHarness.AssertCompilesCleanly(outcome.Output);
        string catalog = outcome.Source("HealthGen.Catalog.g.cs");
        Assert.Contains("{ Source = Assembly, PeriodMs = 5000, FailureThreshold = 3 }", catalog);
        Assert.Contains("[assembly: global::HealthGen.HealthCheckDeclarationAttribute(global::HealthGen.ProbeKind.Resolver, \"groups\", Kind = \"ldapresolver\", DependsOn = new string[] { \"users\" })]", catalog);
        Baselines.Verify(outcome);
    }

    [Fact]
    public void ApplicationComposesReferencedLibrary()
    {
        MetadataReference library = GeneratorHarness.BuildLibrary(Sources.Library, "Lib").ToMetadataReference();
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Sources.ApplicationUsingLibrary, "App", [library]));
        GeneratorHarness.AssertCompilesCleanly(outcome.Output);
        Assert.Contains("global::HealthGen.Generated.HealthCheckCatalog_Lib.Checks", outcome.Source("HealthGen.Endpoints.g.cs"));
        Baselines.Verify(outcome);
    }

    [Fact]
    public void ApplicationWithoutChecks()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Sources.NoChecks));
        GeneratorHarness.AssertCompilesCleanly(outcome.Output);
        Assert.False(outcome.HasSource("HealthGen.Catalog.g.cs"));
        Baselines.Verify(outcome);
    }

    [Fact]
    public void NothingIsGeneratedWithoutTheRuntime()
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "NoRuntime",
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class LivenessCheckAttribute : System.Attribute {} static class C { [LivenessCheck] static bool M() => true; }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)]);
        GeneratorOutcome outcome = GeneratorHarness.Run(compilation);
        Assert.Empty(outcome.Result.GeneratedSources);
    }

    private static void VerifyClean(string source, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source));
        GeneratorHarness.AssertCompilesCleanly(outcome.Output);
        Baselines.Verify(outcome, test);
    }
}
