using System;
using System.ComponentModel;

namespace HealthGen;

/// <summary>
/// Names the generated catalog of checks declared in an assembly. The source generator of an
/// application reads this attribute on the assemblies it references, at compile time, and composes
/// their catalogs into its <c>MapHealthGen</c>; nothing looks for it at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HealthCheckCatalogAttribute(Type catalogType) : Attribute
{
    /// <summary>The generated static class whose <c>Checks</c> property lists the assembly's checks.</summary>
    public Type CatalogType { get; } = catalogType;
}
