using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace HealthGen.Generators.Tests.Verifiers;

/// <summary>
/// A class library with checks, compiled with <see cref="HealthProbeGenerator"/> as its own build would (against the
/// reference packs of <see cref="TestProject"/>) and handed to a test as a metadata reference: the rules that look
/// across assemblies (HG0004, HG0010, HG0011) then read exactly what the generator declared.
/// </summary>
internal static class ReferencedLibrary
{
    private static readonly Lazy<Task<ImmutableArray<MetadataReference>>> s_references =
        new(() => TestProject.ReferenceAssemblies.ResolveAsync(LanguageNames.CSharp, CancellationToken.None));

    public static async Task<MetadataReference> BuildAsync(string source, string assemblyName)
    {
        ImmutableArray<MetadataReference> references = (await s_references.Value).AddRange(TestProject.Libraries);
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, parseOptions, path: assemblyName + ".cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create([new HealthProbeGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation withGenerated, out ImmutableArray<Diagnostic> generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);

        using var image = new MemoryStream();
        EmitResult emitted = withGenerated.Emit(image);
        Diagnostic[] problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(emitted.Success && problems.Length == 0, $"library {assemblyName} does not compile cleanly:\n{string.Join("\n", problems.Select(p => p.ToString()))}");
        return MetadataReference.CreateFromImage(image.ToArray(), filePath: assemblyName + ".dll");
    }
}
