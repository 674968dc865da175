using System.Collections.Concurrent;
using System.Collections.Immutable;
using HealthGen.Generators.Analysis;
using HealthGen.Generators.Diagnostics;
using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HealthGen.Generators.Analyzers;

/// <summary>
/// HG0001: a liveness check that depends on an external dependency — in its body, through its parameters
/// or the fields and properties it reads, or through methods of this compilation it calls. The message
/// names the path: <c>liveness check 'process' reaches NpgsqlConnection.OpenAsync via Probes.Process → Db.Ping</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LivenessExternalDependencyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Descriptors.LivenessExternalDependency];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            if (start.Compilation.GetTypeByMetadataName(CheckRules.LivenessAttribute) is null)
            {
                return;
            }

            // One graph per distinct .editorconfig list (normally exactly one), shared by every check.
            var graphs = new ConcurrentDictionary<string, DependencyGraph>();
            start.RegisterOperationBlockAction(context =>
            {
                if (context.OwningSymbol is not IMethodSymbol method)
                {
                    return;
                }

                foreach ((AttributeData attribute, ProbeSpec probe) in CheckRules.CheckAttributesOf(method))
                {
                    if (probe != ProbeSpec.Liveness)
                    {
                        continue;
                    }

                    string configured = ConfiguredTypes(context.Options, context.OperationBlocks[0].Syntax.SyntaxTree);
                    DependencyGraph graph = graphs.GetOrAdd(configured, value => new DependencyGraph(context.Compilation, ExternalDependencies.Create(context.Compilation, value)));
                    if (graph.Find(method, context.OperationBlocks, context.CancellationToken) is { } path)
                    {
                        string name = CheckRules.EffectiveName(attribute, method.Name);
                        context.ReportDiagnostic(Diagnostic.Create(Descriptors.LivenessExternalDependency,
                            CheckMethods.AttributeNameLocation(attribute, method, context.CancellationToken), name, path.Dependency, path.Via));
                    }
                }
            });
        });
    }

    private static string ConfiguredTypes(AnalyzerOptions options, SyntaxTree tree)
    {
        AnalyzerConfigOptionsProvider provider = options.AnalyzerConfigOptionsProvider;
        string local = provider.GetOptions(tree).TryGetValue(ExternalDependencies.EditorConfigKey, out string? value) ? value : string.Empty;
        string global = provider.GlobalOptions.TryGetValue(ExternalDependencies.EditorConfigKey, out string? globalValue) ? globalValue : string.Empty;
        return global.Length == 0 ? local : local.Length == 0 ? global : global + "," + local;
    }
}
