using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.CodeFixes.Tests;

/// <summary>Short forms for the code-fix tests: one fix, Fix All with its iteration counts, and no fix offered.</summary>
internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>The only diagnostic of <paramref name="markup"/> fixed gives <paramref name="fixedCode"/>.</summary>
    public static Task VerifyAsync(string markup, string fixedCode)
        => new HealthGenCodeFixTest<TAnalyzer, TCodeFix>
        {
            TestCode = markup,
            FixedCode = fixedCode,
            NumberOfIncrementalIterations = 1,
            NumberOfFixAllIterations = 1,
        }.RunAsync();

    /// <summary>
    /// Fixing the diagnostics of <paramref name="markup"/> one at a time takes <paramref name="incrementalIterations"/>
    /// fixes, Fix All takes <paramref name="fixAllIterations"/> passes, and both give <paramref name="fixedCode"/>.
    /// </summary>
    public static Task VerifyFixAllAsync(string markup, string fixedCode, int incrementalIterations, int fixAllIterations = 1)
        => new HealthGenCodeFixTest<TAnalyzer, TCodeFix>
        {
            TestCode = markup,
            FixedCode = fixedCode,
            NumberOfIncrementalIterations = incrementalIterations,
            NumberOfFixAllIterations = fixAllIterations,
        }.RunAsync();

    /// <summary>The analyzer reports what <paramref name="markup"/> marks, and the fix offers nothing for it.</summary>
    public static Task VerifyNoFixAsync(string markup)
        => new HealthGenCodeFixTest<TAnalyzer, TCodeFix>
        {
            TestCode = markup,
            FixedCode = markup,
            NumberOfIncrementalIterations = 0,
            NumberOfFixAllIterations = 0,
        }.RunAsync();
}
