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
        CheckDependencies.RegisterAnalysis(context, static (context, dependencies, checks) =>
        {
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
    }
}
