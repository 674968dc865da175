using HealthGen.Generators.Helpers;

namespace HealthGen.Generators.Model;

/// <summary>
/// A check of a referenced assembly, as its generated <c>[assembly: HealthCheckDeclaration(...)]</c> describes it: what
/// the application's generator and analyzers need to find a name taken twice across assemblies (HG0004) and to check
/// dependencies across them (HG0010, HG0011).
/// </summary>
/// <param name="Assembly">The declaring assembly's name, for messages.</param>
/// <param name="Probe">The check's probe.</param>
/// <param name="Kind">The resolver kind, for resolver checks; <see langword="null"/> otherwise.</param>
/// <param name="Name">The check's name.</param>
/// <param name="DependsOn">The names of the checks it depends on.</param>
internal sealed record CheckDeclaration(string Assembly, ProbeSpec Probe, string? Kind, string Name, EquatableArray<string> DependsOn);
