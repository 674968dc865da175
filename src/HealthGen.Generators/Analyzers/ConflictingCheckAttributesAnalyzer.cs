using System.Collections.Generic;
using System.Collections.Immutable;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Analyzers;

/// <summary>
/// HG0009: a liveness check that is also a readiness, startup or resolver check. Readiness with startup or
/// resolver is a legitimate combination (a database both gates start-up and readiness) and not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConflictingCheckAttributesAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.ConflictingCheckAttributes];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(static context =>
        {
            var method = (IMethodSymbol)context.Symbol;
            List<(AttributeData Attribute, ProbeSpec Probe)> attributes = CheckRules.CheckAttributesOf(method);
            if (attributes.Count < 2 || !attributes.Exists(static a => a.Probe == ProbeSpec.Liveness))
            {
                return;
            }

            foreach ((AttributeData attribute, ProbeSpec probe) in attributes)
            {
                if (probe != ProbeSpec.Liveness)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.ConflictingCheckAttributes,
                        CheckMethods.AttributeNameLocation(attribute, method, context.CancellationToken), method.Name, CheckMethods.ProbeDisplayName(probe)));
                }
            }
        }, SymbolKind.Method);
    }
}
