using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace HealthGen.Generators.Tests.Verifiers;

/// <summary>
/// A source-generator test of the Roslyn SDK's test library over <see cref="TestProject"/>: it runs
/// <see cref="HealthProbeGenerator"/>, compares the generated sources it is given and checks every diagnostic of
/// the compilation with them (the generator's own, compiler errors, and warnings if asked).
/// </summary>
internal sealed class HealthGenGeneratorTest : CSharpSourceGeneratorTest<HealthProbeGenerator, DefaultVerifier>
{
    public HealthGenGeneratorTest() => TestProject.Configure(this);
}
