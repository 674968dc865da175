using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace HealthGen.Generators.Tests.Verifiers;

/// <summary>
/// An analyzer test of the Roslyn SDK's test library over <see cref="TestProject"/>: markup (<c>[|…|]</c>,
/// <c>{|HG0001:…|}</c>, <c>{|#0:…|}</c>) marks the expected diagnostics; any other diagnostic, a missing one, or a
/// compiler error in the test code fails the test.
/// </summary>
internal sealed class HealthGenAnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public HealthGenAnalyzerTest() => TestProject.Configure(this);
}
