using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HealthGen.Generators.Tests;

/// <summary>
/// The generator must not redo work on edits that do not concern checks: every tracked step of a second
/// run on an unchanged or unrelatedly edited compilation is Cached or Unchanged.
/// </summary>
public sealed class IncrementalTests
{
    private static readonly string[] AppSources = [Sources.ReturnTypes, Sources.Resolvers, Sources.ServiceParameters, Sources.OperationsSettings];

    [Fact]
    public void Rerun_on_an_identical_compilation_is_fully_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(AppSources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        GeneratorRunResult second = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();

        AssertAllStepsReused(second);
    }

    [Fact]
    public void Rerun_after_an_unrelated_edit_is_fully_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(AppSources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace App; public sealed class Unrelated { public int Answer() => 42; }", GeneratorHarness.ParseOptions));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllStepsReused(second);
    }

    [Fact]
    public void Rerun_after_an_unrelated_edit_with_a_referenced_library_is_fully_cached()
    {
        // The referenced library's declarations are read again for the new compilation and must compare equal.
        MetadataReference library = GeneratorHarness.BuildLibrary(Sources.Library, "Lib").ToMetadataReference();
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(AppSources, extraReferences: [library]);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var facts = (Model.CompilationFacts)driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.CompilationFacts].Single().Outputs.Single().Value;
        Assert.Equal(2, facts.ReferencedChecks.Count);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace App; public sealed class Unrelated { public int Answer() => 42; }", GeneratorHarness.ParseOptions));
        AssertAllStepsReused(driver.RunGenerators(edited).GetRunResult().Results.Single());
    }

    [Fact]
    public void Editing_a_dependency_marks_that_check_and_the_output_modified()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(AppSources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree operations = compilation.SyntaxTrees.Single(t => t.ToString().Contains("OperationsChecks"));
        SyntaxTree edited = operations.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            operations.ToString().Replace("DependsOn = new[] { \"database\" }", "DependsOn = new[] { \"billing\" }")));
        GeneratorRunResult second = driver.RunGenerators(compilation.ReplaceSyntaxTree(operations, edited)).GetRunResult().Results.Single();

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.ReadinessChecks));
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(second, TrackingNames.Generation));
        Assert.Contains("Readiness_orders, global::HealthGen.CheckInvocation.Inline) { Source = Assembly, DependsOn = new string[] { \"billing\" } }", second.GeneratedSources.Single(s => s.HintName == "HealthGen.Catalog.g.cs").SourceText.ToString());
    }

    [Fact]
    public void Editing_a_check_attribute_marks_that_check_and_the_output_modified()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(AppSources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree resolvers = compilation.SyntaxTrees.Single(t => t.ToString().Contains("ldapresolver1"));
        SyntaxTree edited = resolvers.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            resolvers.ToString().Replace("TimeoutMs = 800", "TimeoutMs = 900")));
        GeneratorRunResult second = driver.RunGenerators(compilation.ReplaceSyntaxTree(resolvers, edited)).GetRunResult().Results.Single();

        IncrementalStepRunReason[] resolverReasons = Reasons(second, TrackingNames.ResolverChecks);
        Assert.Contains(IncrementalStepRunReason.Modified, resolverReasons);
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(second, TrackingNames.Generation));
        Assert.All(Reasons(second, TrackingNames.LivenessChecks), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains("timeoutMs: 900", second.GeneratedSources.Single(s => s.HintName == "HealthGen.Catalog.g.cs").SourceText.ToString());
    }

    private static void AssertAllStepsReused(GeneratorRunResult run)
    {
        // Every step that has content must be tracked; otherwise this test would pass vacuously.
        Assert.All(new[] { TrackingNames.LivenessChecks, TrackingNames.ReadinessChecks, TrackingNames.StartupChecks, TrackingNames.ResolverChecks, TrackingNames.CompilationFacts, TrackingNames.Generation },
            name => Assert.True(run.TrackedSteps.ContainsKey(name), $"step {name} was not tracked"));

        foreach (string name in TrackingNames.All)
        {
            foreach (IncrementalStepRunReason reason in Reasons(run, name))
            {
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name} ran with reason {reason}");
            }
        }

        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult run, string step)
        => run.TrackedSteps.TryGetValue(step, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray()
            : [];
}
