using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Tests;

/// <summary>
/// The pipeline's models must hold no symbols, syntax, locations or compilations: such objects keep whole
/// compilations alive and compare by identity, which defeats incremental caching.
/// </summary>
public sealed class ModelPurityTests
{
    private static readonly Type[] Forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(SemanticModel)];

    [Fact]
    public void No_tracked_step_output_holds_a_symbol_syntax_location_or_compilation()
    {
        // With a referenced library, so the declarations read from it are walked too.
        MetadataReference library = GeneratorHarness.BuildLibrary(Sources.Library, "Lib").ToMetadataReference();
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(
            [Sources.ReturnTypes, Sources.InstanceChecks, Sources.ServiceParameters, Sources.Resolvers, Sources.OperationsSettings], extraReferences: [library]));
        var facts = (Model.CompilationFacts)outcome.Result.TrackedSteps[TrackingNames.CompilationFacts].Single().Outputs.Single().Value;
        Assert.NotEmpty(facts.ReferencedChecks);

        int walked = 0;
        foreach (string step in TrackingNames.All)
        {
            foreach (IncrementalGeneratorRunStep run in outcome.Result.TrackedSteps[step])
            {
                foreach ((object value, _) in run.Outputs)
                {
                    Walk(value, $"{step}", new HashSet<object>(ReferenceEqualityComparer.Instance));
                    walked++;
                }
            }
        }

        Assert.True(walked > 20, $"only {walked} outputs were walked");
    }

    [Fact]
    public void The_walker_detects_a_symbol()
    {
        Compilation compilation = GeneratorHarness.CreateCompilation("class C {}");
        var model = new { Symbol = (object)compilation.GetTypeByMetadataName("C")! };
        Assert.ThrowsAny<Exception>(() => Walk(model, "test", new HashSet<object>(ReferenceEqualityComparer.Instance)));
    }

    private static void Walk(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Type type = value.GetType();
        Assert.False(Forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} holds a {type.FullName}");
        if (!type.IsValueType && !seen.Add(value))
        {
            return;
        }

        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (object? item in sequence)
            {
                Walk(item, $"{path}[{i++}]", seen);
            }

            return;
        }

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.Name != "EqualityContract")
            {
                Walk(property.GetValue(value), $"{path}.{property.Name}", seen);
            }
        }
    }
}
