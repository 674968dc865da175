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
/// HG0004: two checks of one probe (or two resolvers of one kind) with the same name. Needs every check
/// of the compilation, so it reports at compilation end; each duplicate gets a diagnostic naming the others.
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
                foreach (var group in checks.GroupBy(static c => (c.Probe, c.Kind, c.Name)).Where(static g => g.Count() > 1))
                {
                    var members = group.OrderBy(static c => c.Method, System.StringComparer.Ordinal).ToList();
                    foreach (var check in members)
                    {
                        string others = string.Join(", ", members.Where(m => !ReferenceEquals(m.Location, check.Location)).Select(static m => m.Method));
                        IEnumerable<Location> additional = members.Where(m => !ReferenceEquals(m.Location, check.Location)).Select(static m => m.Location);
                        string probe = CheckMethods.ProbeDisplayName(check.Probe);
                        probe = char.ToUpperInvariant(probe[0]) + probe.Substring(1) + (check.Kind is null ? "" : $" ({check.Kind})");
                        context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateCheckName, check.Location, additional, probe, check.Name, $"also {others}"));
                    }
                }
            });
        });
    }
}
