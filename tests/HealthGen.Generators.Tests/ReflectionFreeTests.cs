using System.Linq;
using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Tests;

/// <summary>The generated code must not use reflection: it has to run in a trimmed native-AOT binary.</summary>
public sealed class ReflectionFreeTests
{
    private static readonly string[] ReflectionApis =
    [
        "System.Reflection", "MethodInfo", "Activator", "ActivatorUtilities", "GetType(", "Type.GetType", "MakeGenericType",
        "GetMethod(", "GetProperty(", "Invoke(", "JsonSerializer.Serialize", "DefaultJsonTypeInfoResolver", "dynamic",
    ];

    [Fact]
    public void No_generated_source_uses_reflection()
    {
        var library = GeneratorHarness.BuildLibrary(Sources.Library, "Lib").ToMetadataReference();
        string[] sources = [Sources.ReturnTypes, Sources.InstanceChecks, Sources.ServiceParameters, Sources.Resolvers, Sources.ApplicationUsingLibrary];
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(sources, "App", [library]));
        Assert.Equal(3, outcome.Result.GeneratedSources.Length);

        foreach (GeneratedSourceResult generated in outcome.Result.GeneratedSources)
        {
            string text = generated.SourceText.ToString();
            string[] found = ReflectionApis.Where(api => text.Contains(api, System.StringComparison.Ordinal)).ToArray();
            Assert.True(found.Length == 0, $"{generated.HintName} uses {string.Join(", ", found)}");
        }
    }
}
