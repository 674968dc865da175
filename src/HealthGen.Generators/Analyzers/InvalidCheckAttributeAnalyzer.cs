using System.Collections.Immutable;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Analyzers;

/// <summary>
/// HG0008: invalid or reserved name, TimeoutMs ≤ 0, negative CacheMs or PeriodMs, FailureThreshold below 1, a DependsOn
/// entry that is no valid name or the check's own, missing or invalid resolver Kind. Reported on the argument (on the
/// DependsOn entry) where it is written.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidCheckAttributeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.InvalidCheckAttribute];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(static context =>
        {
            var method = (IMethodSymbol)context.Symbol;
            foreach ((AttributeData attribute, ProbeSpec probe) in CheckRules.CheckAttributesOf(method))
            {
                foreach (AttributeProblem problem in CheckRules.AttributeProblems(attribute, probe, method.Name))
                {
                    Location location = CheckMethods.ArgumentLocation(attribute, problem.Argument, problem.Index, context.CancellationToken)
                        ?? CheckMethods.AttributeNameLocation(attribute, method, context.CancellationToken);
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidCheckAttribute, location, CheckMethods.AttributeDisplayName(probe), method.Name, problem.Message));
                }
            }
        }, SymbolKind.Method);
    }
}
