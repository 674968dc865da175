namespace HealthGen.Generators.Model;

/// <summary>A referenced assembly's generated catalog.</summary>
internal sealed record CatalogReference(string AssemblyName, string CatalogType);
