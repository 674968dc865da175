using HealthGen.Generators.Helpers;

namespace HealthGen.Generators.Model;

/// <summary>Facts about the compilation the emitter needs, cheap to compute on every edit.</summary>
/// <param name="AssemblyName">The compilation's assembly name.</param>
/// <param name="HasRuntime">Whether the HealthGen runtime is referenced (nothing is emitted otherwise).</param>
/// <param name="HasAspNetCore">Whether endpoint routing is referenced (MapHealthGen is emitted only then).</param>
/// <param name="ReferencedCatalogs">Generated catalogs of referenced assemblies, fully qualified, sorted.</param>
/// <param name="ReferencedChecks">The checks referenced assemblies declare (their <c>[assembly: HealthCheckDeclaration]</c>s), sorted.</param>
/// <param name="HasHealthChecks">Whether Microsoft.Extensions.Diagnostics.HealthChecks is referenced (AddHealthGenChecks is emitted only then).</param>
internal sealed record CompilationFacts(string AssemblyName, bool HasRuntime, bool HasAspNetCore, EquatableArray<CatalogReference> ReferencedCatalogs, EquatableArray<CheckDeclaration> ReferencedChecks, bool HasHealthChecks = false);
