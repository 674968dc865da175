using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using HealthGen.Generators.Helpers;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Analysis;

/// <summary>
/// One check of the compilation as the dependency rules (HG0010, HG0011) see it: its probe, kind and name, and each
/// dependency it names with where that name is written.
/// </summary>
internal sealed class DependentCheck(ProbeSpec probe, string? kind, string name, ImmutableArray<Dependency> dependsOn, Location location)
{
    public ProbeSpec Probe { get; } = probe;

    /// <summary>The resolver kind; <see langword="null"/> for the other probes.</summary>
    public string? Kind { get; } = kind;

    public string Name { get; } = name;

    /// <summary>The dependencies that pass HG0008 (valid names, not the check's own), in the order written.</summary>
    public ImmutableArray<Dependency> DependsOn { get; } = dependsOn;

    /// <summary>The attribute's name, to order diagnostics deterministically.</summary>
    public Location Location { get; } = location;

    /// <summary>
    /// The checks a method declares, one per check attribute whose name (and, for resolvers, kind) is valid, whatever
    /// else may be wrong with the method: a dependency on it names a check that is meant to exist, and the other
    /// problem has its own error. The syntax of <c>DependsOn</c> is looked at only when it has entries.
    /// </summary>
    public static List<DependentCheck> Of(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var checks = new List<DependentCheck>();
        foreach ((AttributeData attribute, ProbeSpec probe) in CheckRules.CheckAttributesOf(method))
        {
            string name = CheckRules.EffectiveName(attribute, method.Name);
            string? kind = probe == ProbeSpec.Resolver ? CheckRules.KindOf(attribute) : null;
            if (!CheckNaming.IsValid(name) || (probe == ProbeSpec.Resolver && !CheckNaming.IsValid(kind)))
            {
                continue; // HG0008
            }

            List<string?> entries = CheckRules.DependsOnOf(attribute);
            var dependsOn = ImmutableArray.CreateBuilder<Dependency>(entries.Count);
            for (int i = 0; i < entries.Count; i++)
            {
                if (entries[i] is { } entry && CheckNaming.IsValid(entry) && entry != name)
                {
                    Location location = CheckMethods.ArgumentLocation(attribute, AttributeArgument.DependsOn, i, cancellationToken)
                        ?? CheckMethods.AttributeNameLocation(attribute, method, cancellationToken);
                    dependsOn.Add(new Dependency(entry, location));
                }
            }

            checks.Add(new DependentCheck(probe, kind, name, dependsOn.ToImmutable(), CheckMethods.AttributeNameLocation(attribute, method, cancellationToken)));
        }

        return checks;
    }
}

