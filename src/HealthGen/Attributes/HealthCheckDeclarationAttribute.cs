using System;
using System.ComponentModel;

namespace HealthGen;

/// <summary>
/// Declares one check of an assembly's generated catalog, so that the generator of an application referencing the
/// assembly knows the check at compile time: a name taken twice across assemblies (HG0004) or a dependency that
/// names no check (HG0010) or forms a cycle (HG0011) is reported as the application builds, naming both assemblies.
/// Written by the generator next to <see cref="HealthCheckCatalogAttribute"/>; nothing reads it at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HealthCheckDeclarationAttribute(ProbeKind probe, string name) : Attribute
{
    /// <summary>The check's probe.</summary>
    public ProbeKind Probe { get; } = probe;

    /// <summary>The check's name.</summary>
    public string Name { get; } = name;

    /// <summary>The resolver kind, for resolver checks.</summary>
    public string? Kind { get; set; }

    /// <summary>The names of the checks it depends on, if any.</summary>
    public string[]? DependsOn { get; set; }
}
