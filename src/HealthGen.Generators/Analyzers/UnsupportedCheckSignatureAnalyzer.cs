using System.Collections.Immutable;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Analyzers;

/// <summary>HG0002: the check method's return type, generic-ness, parameters' passing or kind is not supported.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsupportedCheckSignatureAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.UnsupportedSignature];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(static context =>
        {
            var method = (IMethodSymbol)context.Symbol;
            if (CheckRules.CheckAttributesOf(method).Count > 0 && CheckRules.SignatureProblem(method) is { } problem)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnsupportedSignature, CheckMethods.IdentifierLocation(method), method.Name, problem));
            }
        }, SymbolKind.Method);
    }
}
