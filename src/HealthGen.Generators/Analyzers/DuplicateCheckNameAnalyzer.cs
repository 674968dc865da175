using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Analyzers;

/// <summary>
/// HG0004: two checks of one probe (or two resolvers of one kind) with the same name — within the compilation, between
/// the compilation and a referenced assembly, or between two referenced assemblies (their generated
/// <c>HealthCheckDeclaration</c> attributes, read once per compilation). Needs every check of the compilation, so it
/// reports at compilation end; each duplicate in source gets a diagnostic naming the others, and a name two referenced
/// assemblies share gets one without a location, naming both.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DuplicateCheckNameAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.DuplicateCheckName];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            ImmutableArray<CheckDeclaration> referenced = ReferencedChecks.Of(start.Compilation, start.CancellationToken);
            string assembly = start.Compilation.AssemblyName ?? "this project";
            var checks = new ConcurrentBag<(ProbeSpec Probe, string? Kind, string Name, string Method, Location Location)>();
            start.RegisterSymbolAction(context =>
            {
                var method = (IMethodSymbol)context.Symbol;
                foreach ((AttributeData attribute, ProbeSpec probe) in CheckRules.CheckAttributesOf(method))
                {
                    // Only checks the generator emits can collide; one with another error is reported for that error.
                    if (CheckRules.IsSupported(method, attribute, probe))
                    {
                        string name = CheckRules.EffectiveName(attribute, method.Name);
                        string? kind = probe == ProbeSpec.Resolver ? CheckRules.KindOf(attribute) : null;
                        string display = method.ContainingType.Name + "." + method.Name;
                        checks.Add((probe, kind, name, display, CheckMethods.AttributeNameLocation(attribute, method, context.CancellationToken)));
                    }
                }
            }, SymbolKind.Method);

            start.RegisterCompilationEndAction(context =>
            {
                // The assemblies that declare each name, in order; one assembly's generator never declares a name twice.
                Dictionary<(ProbeSpec Probe, string? Kind, string Name), List<string>> elsewhere = referenced
                    .GroupBy(static d => (Probe: d.Probe, Kind: d.Kind, Name: d.Name))
                    .ToDictionary(static g => g.Key, static g => g.Select(static d => d.Assembly).Distinct().OrderBy(static a => a, StringComparer.Ordinal).ToList());

                foreach (var group in checks.GroupBy(static c => (c.Probe, c.Kind, c.Name)))
                {
                    elsewhere.TryGetValue(group.Key, out List<string>? assemblies);
                    var members = group.OrderBy(static c => c.Method, StringComparer.Ordinal).ToList();
                    if (members.Count < 2 && assemblies is null)
                    {
                        continue;
                    }

                    foreach (var check in members)
                    {
                        var others = members.Where(m => !ReferenceEquals(m.Location, check.Location)).ToList();
                        var parts = new List<string>(2);
                        if (others.Count > 0)
                        {
                            parts.Add("also " + string.Join(", ", others.Select(static m => m.Method)));
                        }

                        if (assemblies is not null)
                        {
                            parts.Add($"declared in {assembly} and in referenced {(assemblies.Count == 1 ? "assembly" : "assemblies")} {Enumerate(assemblies)}");
                        }

                        context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateCheckName, check.Location, others.Select(static m => m.Location),
                            ProbeLabel(check.Probe, check.Kind), check.Name, string.Join("; ", parts)));
                    }
                }

                // Two referenced assemblies: nothing in this compilation to point at, but it composes both catalogs.
                var shared = elsewhere.Where(static e => e.Value.Count > 1)
                    .OrderBy(static e => e.Key.Probe).ThenBy(static e => e.Key.Kind, StringComparer.Ordinal).ThenBy(static e => e.Key.Name, StringComparer.Ordinal);
                foreach (KeyValuePair<(ProbeSpec Probe, string? Kind, string Name), List<string>> duplicate in shared)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateCheckName, Location.None,
                        ProbeLabel(duplicate.Key.Probe, duplicate.Key.Kind), duplicate.Key.Name, $"declared in referenced assemblies {Enumerate(duplicate.Value)}"));
                }
            });
        });
    }

    /// <summary><c>Readiness</c>, <c>Resolver (sqlresolver)</c>.</summary>
    private static string ProbeLabel(ProbeSpec probe, string? kind)
    {
        string label = CheckMethods.ProbeDisplayName(probe);
        return char.ToUpperInvariant(label[0]) + label.Substring(1) + (kind is null ? "" : $" ({kind})");
    }

    /// <summary><c>A</c>, <c>A and B</c>, <c>A, B and C</c>.</summary>
    private static string Enumerate(List<string> names)
        => names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[names.Count - 1];
}
