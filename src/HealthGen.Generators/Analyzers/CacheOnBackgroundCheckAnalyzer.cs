using System.Collections.Generic;
using System.Collections.Immutable;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Analyzers;

/// <summary>
/// HG0012: <c>CacheMs</c> on a background check (<c>PeriodMs</c> greater than zero). Probes read a background check's
/// last result and never run it, so there is nothing to cache and the value is ignored. Reported on the whole
/// <c>CacheMs = …</c> argument, which is what the code fix removes.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CacheOnBackgroundCheckAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.CacheOnBackgroundCheck];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(static context =>
        {
            var method = (IMethodSymbol)context.Symbol;
            foreach ((AttributeData attribute, _) in CheckRules.CheckAttributesOf(method))
            {
                int? periodMs = null;
                bool hasCache = false;
                foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
                {
                    if (named.Key == "PeriodMs" && named.Value.Kind == TypedConstantKind.Primitive && named.Value.Value is int period)
                    {
                        periodMs = period;
                    }
                    else if (named.Key == "CacheMs")
                    {
                        hasCache = true;
                    }
                }

                if (periodMs > 0 && hasCache && CheckMethods.NamedArgument(attribute, "CacheMs", context.CancellationToken) is AttributeArgumentSyntax cache)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.CacheOnBackgroundCheck, cache.GetLocation(),
                        CheckRules.EffectiveName(attribute, method.Name), periodMs.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }, SymbolKind.Method);
    }
}
