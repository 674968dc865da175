using System.Collections.Immutable;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Analyzers;

/// <summary>HG0008: invalid or reserved name, TimeoutMs ≤ 0, negative CacheMs, missing or invalid resolver Kind.</summary>
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
                    Location location = ArgumentLocation(attribute, problem.Argument, context.CancellationToken) ?? CheckMethods.AttributeNameLocation(attribute, method, context.CancellationToken);
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidCheckAttribute, location, CheckMethods.AttributeDisplayName(probe), method.Name, problem.Message));
                }
            }
        }, SymbolKind.Method);
    }

    /// <summary>The argument expression a problem is about: the positional name, or the named TimeoutMs/CacheMs/Kind.</summary>
    private static Location? ArgumentLocation(AttributeData attribute, AttributeArgument argument, System.Threading.CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList: { } arguments })
        {
            return null;
        }

        foreach (AttributeArgumentSyntax candidate in arguments.Arguments)
        {
            string? assigned = candidate.NameEquals?.Name.Identifier.ValueText;
            bool matches = argument == AttributeArgument.Name
                ? assigned is null && (candidate.NameColon is null || candidate.NameColon.Name.Identifier.ValueText == "name")
                : assigned == argument.ToString();
            if (matches)
            {
                return candidate.Expression.GetLocation();
            }
        }

        return null;
    }
}
