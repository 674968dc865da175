using System.Collections.Immutable;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Analyzers;

/// <summary>HG0003: a check parameter is neither a CancellationToken nor something DI can supply.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsuppliableCheckParameterAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.UnsuppliableParameter];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(static context =>
        {
            var method = (IMethodSymbol)context.Symbol;
            if (CheckRules.CheckAttributesOf(method).Count == 0)
            {
                return;
            }

            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (parameter.RefKind == RefKind.None && !parameter.IsParams && CheckRules.ParameterProblem(parameter) is { } problem)
                {
                    Location location = parameter.Locations.Length > 0 ? parameter.Locations[0] : CheckMethods.IdentifierLocation(method);
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnsuppliableParameter, location, parameter.Name, method.Name, problem));
                }
            }
        }, SymbolKind.Method);
    }
}
