using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace HealthGen.Generators.Tests.Verifiers;

/// <summary>Short forms for the common analyzer test: markup, optional .editorconfig lines, expected diagnostics.</summary>
internal static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>The analyzer's only diagnostic, to locate with <c>WithLocation</c> and describe with <c>WithArguments</c>.</summary>
    public static DiagnosticResult Diagnostic() => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic();

    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAsync(string markup, params DiagnosticResult[] expected)
        => VerifyAsync(markup, editorConfig: null, expected);

    /// <summary>As <see cref="VerifyAsync(string, DiagnosticResult[])"/>, with libraries the test project references (<see cref="ReferencedLibrary"/>).</summary>
    public static Task VerifyWithReferencesAsync(string markup, MetadataReference[] references, params DiagnosticResult[] expected)
    {
        var test = new HealthGenAnalyzerTest<TAnalyzer> { TestCode = markup };
        test.TestState.AdditionalReferences.AddRange(references);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <param name="markup">The test code with its expected diagnostics marked.</param>
    /// <param name="editorConfig">Lines of the <c>[*.cs]</c> section of the project's .editorconfig, if any.</param>
    /// <param name="expected">Diagnostics markup does not describe fully (arguments, several locations).</param>
    public static Task VerifyAsync(string markup, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new HealthGenAnalyzerTest<TAnalyzer> { TestCode = markup };
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", $"root = true\n\n[*.cs]\n{editorConfig}\n"));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
