using System;
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
/// HG0011: dependencies that lead back to the check (a → b → a), across the compilation's checks and those its
/// references declare (read once, at compilation start). Every check of the cycle declared in this compilation gets
/// a diagnostic naming the shortest cycle through it, on its <c>DependsOn</c> entry that continues the cycle. Needs
/// every check of the compilation, so it reports at compilation end.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CheckDependencyCycleAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.CheckDependencyCycle];

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

                // In source order, so that a name declared twice (HG0004) merges its dependencies the same way every build.
                List<DependentCheck> ordered = checks
                    .OrderBy(static c => c.Location.SourceTree?.FilePath, StringComparer.Ordinal)
                    .ThenBy(static c => c.Location.SourceSpan.Start)
                    .ToList();
                var dependencies = new CheckDependencies(ordered, referenced);
                foreach (DependentCheck check in ordered)
                {
                    if (dependencies.CycleThrough(check) is not { } cycle)
                    {
                        continue;
                    }

                    // On the entry of this check's DependsOn that the cycle goes on with.
                    Location location = check.DependsOn.First(d => d.Name == cycle[1]).Location;
                    string path = $"{CheckMethods.ProbePath(check.Probe, check.Kind)}: {dependencies.Describe(check, cycle)}";
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.CheckDependencyCycle, location, check.Name, path));
                }
            });
        });
    }
}
