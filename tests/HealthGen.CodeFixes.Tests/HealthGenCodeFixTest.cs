using HealthGen.Generators.Tests.Verifiers;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace HealthGen.CodeFixes.Tests;

/// <summary>
/// A code-fix test of the Roslyn SDK's test library over the analyzer tests' project: the markup of the test
/// code says where the analyzer reports; the library applies the fix one diagnostic at a time and with Fix All
/// (document, project, solution), checks each result against the fixed code, that it compiles, and that
/// nothing is reported any more that the fixed code does not mark.
/// </summary>
internal sealed class HealthGenCodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public HealthGenCodeFixTest() => TestProject.Configure(this);
}
