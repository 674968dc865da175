using System.Collections.Immutable;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Analyzers;

/// <summary>HG0005: generated code cannot call the check (private, protected, file-local, generic type, local function).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnreachableCheckAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.UnreachableCheck];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(static context => Analyze(context.ReportDiagnostic, (IMethodSymbol)context.Symbol), SymbolKind.Method);

        // Symbol actions do not run for local functions; their attributes are found through syntax.
        context.RegisterSyntaxNodeAction(static context =>
        {
            var localFunction = (LocalFunctionStatementSyntax)context.Node;
            if (localFunction.AttributeLists.Count > 0 && context.SemanticModel.GetDeclaredSymbol(localFunction, context.CancellationToken) is IMethodSymbol method)
            {
                Analyze(context.ReportDiagnostic, method);
            }
        }, SyntaxKind.LocalFunctionStatement);
    }

    private static void Analyze(System.Action<Diagnostic> report, IMethodSymbol method)
    {
        if (CheckRules.CheckAttributesOf(method).Count > 0 && CheckRules.ReachabilityProblem(method) is { } problem)
        {
            report(Diagnostic.Create(Descriptors.UnreachableCheck, CheckMethods.IdentifierLocation(method), method.Name, problem));
        }
    }
}
