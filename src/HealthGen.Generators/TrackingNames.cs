namespace HealthGen.Generators;

/// <summary>Names of the generator's pipeline steps, so tests can assert what was cached on a re-run.</summary>
internal static class TrackingNames
{
    public const string LivenessChecks = nameof(LivenessChecks);
    public const string ReadinessChecks = nameof(ReadinessChecks);
    public const string StartupChecks = nameof(StartupChecks);
    public const string ResolverChecks = nameof(ResolverChecks);
    public const string CompilationFacts = nameof(CompilationFacts);
    public const string Generation = nameof(Generation);

    public static readonly string[] All = [LivenessChecks, ReadinessChecks, StartupChecks, ResolverChecks, CompilationFacts, Generation];
}
