using HealthGen.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HealthGen.Generators;

/// <summary>
/// Turns <c>[LivenessCheck]</c>, <c>[ReadinessCheck]</c>, <c>[StartupCheck]</c> and <c>[ResolverCheck]</c>
/// methods into a catalog of checks, the <c>MapHealthGen</c> endpoint mapping and the JSON metadata of the
/// probe bodies, at compile time. Parsing lives in <c>.Parser.cs</c>, emitting in <c>.Emitter.cs</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class HealthProbeGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<CheckSpec> liveness = ChecksOf(context, Parser.LivenessAttribute, ProbeSpec.Liveness, TrackingNames.LivenessChecks);
        IncrementalValuesProvider<CheckSpec> readiness = ChecksOf(context, Parser.ReadinessAttribute, ProbeSpec.Readiness, TrackingNames.ReadinessChecks);
        IncrementalValuesProvider<CheckSpec> startup = ChecksOf(context, Parser.StartupAttribute, ProbeSpec.Startup, TrackingNames.StartupChecks);
        IncrementalValuesProvider<CheckSpec> resolvers = ChecksOf(context, Parser.ResolverAttribute, ProbeSpec.Resolver, TrackingNames.ResolverChecks);

        IncrementalValueProvider<CompilationFacts> compilation = context.CompilationProvider
            .Select(static (compilation, cancellationToken) => Parser.ParseCompilation(compilation, cancellationToken))
            .WithTrackingName(TrackingNames.CompilationFacts);

        IncrementalValueProvider<GenerationSpec> generation = liveness.Collect()
            .Combine(readiness.Collect())
            .Combine(startup.Collect())
            .Combine(resolvers.Collect())
            .Combine(compilation)
            .Select(static (input, _) =>
            {
                var ((((live, ready), start), resolve), facts) = input;
                return Parser.Aggregate(facts, [.. live, .. ready, .. start, .. resolve]);
            })
            .WithTrackingName(TrackingNames.Generation);

        context.RegisterSourceOutput(generation, static (output, spec) => Emitter.Emit(output, spec));
    }

    private static IncrementalValuesProvider<CheckSpec> ChecksOf(
        IncrementalGeneratorInitializationContext context, string attribute, ProbeSpec probe, string trackingName)
        => context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attribute,
                static (node, _) => node is MethodDeclarationSyntax,
                (attributeContext, cancellationToken) => Parser.ParseCheck(attributeContext, probe, cancellationToken))
            .Where(static check => check is not null)
            .Select(static (check, _) => check!)
            .WithTrackingName(trackingName);
}
