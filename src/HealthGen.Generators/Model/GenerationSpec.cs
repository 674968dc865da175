using HealthGen.Generators.Helpers;

namespace HealthGen.Generators.Model;

/// <summary>Everything one generator run emits from.</summary>
internal sealed record GenerationSpec(CompilationFacts Compilation, EquatableArray<CheckSpec> Checks);
