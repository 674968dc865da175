using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Analyzers;

/// <summary>
/// HG0010: a <c>DependsOn</c> entry that names no check of the same probe (resolvers: of the same kind), among the
/// compilation's checks and those its references declare (read once, at compilation start). Needs every check of the
/// compilation, so it reports at compilation end, on the entry.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnknownCheckDependencyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.UnknownCheckDependency];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            if (start.Compilation.GetTypeByMetadataName(ReferencedChecks.DeclarationAttribute) is null)
            {
                return; // no HealthGen runtime: no checks
            }

            ImmutableArray<CheckDeclaration> referenced = ReferencedChecks.Of(start.Compilation, start.CancellationToken);
            var checks = new ConcurrentBag<DependentCheck>();
            start.RegisterSymbolAction(context =>
            {
                foreach (DependentCheck check in DependentCheck.Of((IMethodSymbol)context.Symbol, context.CancellationToken))
                {
                    checks.Add(check);
                }
            }, SymbolKind.Method);

            start.RegisterCompilationEndAction(context =>
            {
                if (!checks.Any(static c => c.DependsOn.Length > 0))
                {
                    return;
                }

                var dependencies = new CheckDependencies(checks, referenced);
                foreach (DependentCheck check in checks)
                {
                    foreach (Dependency dependency in check.DependsOn)
                    {
                        if (!dependencies.Has(check.Probe, check.Kind, dependency.Name))
                        {
                            context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnknownCheckDependency, dependency.Location,
                                check.Name, dependency.Name, CheckMethods.ProbePath(check.Probe, check.Kind)));
                        }
                    }
                }
            });
        });
    }
}
