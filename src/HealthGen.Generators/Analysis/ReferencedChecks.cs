using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using HealthGen.Generators.Helpers;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Analysis;

/// <summary>
/// The checks of referenced assemblies, read from the <c>[assembly: HealthCheckDeclaration(...)]</c> attributes their
/// generator wrote next to their catalog (docs/generator.md, "What it emits"). The generator (HG0004's duplicates)
/// and the analyzers of HG0004, HG0010 and HG0011 read them once per compilation, never per symbol.
/// </summary>
/// <remarks>
/// A referenced assembly's symbol outlives the edits of the project that references it (the compiler reuses it while
/// the references stay the same), so what one assembly declares is read once and kept with its symbol, and shared by
/// the generator and every analyzer, edit after edit. Assemblies that do not reference HealthGen are skipped without
/// decoding their attributes.
/// </remarks>
internal static class ReferencedChecks
{
    public const string DeclarationAttribute = "HealthGen.HealthCheckDeclarationAttribute";
    private const string RuntimeAssembly = "HealthGen";

    private static readonly ConditionalWeakTable<IAssemblySymbol, Declared> s_declared = new();

    /// <summary>
    /// Every check the compilation's references declare, ordered by assembly, probe, kind and name; empty when the
    /// compilation does not reference the HealthGen runtime.
    /// </summary>
    public static ImmutableArray<CheckDeclaration> Of(Compilation compilation, CancellationToken cancellationToken)
    {
        if (compilation.GetTypeByMetadataName(DeclarationAttribute) is null)
        {
            return ImmutableArray<CheckDeclaration>.Empty;
        }

        var all = ImmutableArray.CreateBuilder<CheckDeclaration>();
        foreach (IAssemblySymbol assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            all.AddRange(s_declared.GetValue(assembly, static a => new Declared(Read(a))).Checks);
        }

        all.Sort(static (a, b) =>
        {
            int order = string.CompareOrdinal(a.Assembly, b.Assembly);
            if (order == 0) order = a.Probe.CompareTo(b.Probe);
            if (order == 0) order = string.CompareOrdinal(a.Kind, b.Kind);
            if (order == 0) order = string.CompareOrdinal(a.Name, b.Name);
            return order;
        });
        return all.ToImmutable();
    }

    private static ImmutableArray<CheckDeclaration> Read(IAssemblySymbol assembly)
    {
        if (!ReferencesRuntime(assembly))
        {
            return ImmutableArray<CheckDeclaration>.Empty;
        }

        var declared = ImmutableArray.CreateBuilder<CheckDeclaration>();
        foreach (AttributeData attribute in assembly.GetAttributes())
        {
            if (!attribute.AttributeClass.Is("HealthGen", "HealthCheckDeclarationAttribute")
                || attribute.ConstructorArguments.Length != 2
                || attribute.ConstructorArguments[0].Value is not int probe || probe < (int)ProbeSpec.Liveness || probe > (int)ProbeSpec.Resolver
                || attribute.ConstructorArguments[1].Value is not string name)
            {
                continue;
            }

            string? kind = null;
            var dependsOn = new List<string>();
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                if (named.Key == "Kind")
                {
                    kind = named.Value.Value as string;
                }
                else if (named.Key == "DependsOn" && named.Value.Kind == TypedConstantKind.Array && !named.Value.IsNull)
                {
                    foreach (TypedConstant entry in named.Value.Values)
                    {
                        if (entry.Value is string dependency)
                        {
                            dependsOn.Add(dependency);
                        }
                    }
                }
            }

            var spec = (ProbeSpec)probe;
            declared.Add(new CheckDeclaration(assembly.Identity.Name, spec, spec == ProbeSpec.Resolver ? kind : null, name, dependsOn.ToEquatableArray()));
        }

        return declared.ToImmutable();
    }

    /// <summary>Only assemblies built against the runtime can carry declarations: a look at their references, not their attributes.</summary>
    private static bool ReferencesRuntime(IAssemblySymbol assembly)
    {
        foreach (IModuleSymbol module in assembly.Modules)
        {
            foreach (AssemblyIdentity reference in module.ReferencedAssemblies)
            {
                if (string.Equals(reference.Name, RuntimeAssembly, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A box for what one assembly declares (the table needs a class).</summary>
    private sealed class Declared(ImmutableArray<CheckDeclaration> checks)
    {
        public ImmutableArray<CheckDeclaration> Checks { get; } = checks;
    }
}
