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
        CheckDependencies.RegisterAnalysis(context, static (context, dependencies, checks) =>
        {
            foreach (DependentCheck check in checks)
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
    }
}
