using System.Threading.Tasks;
using HealthGen.Generators.Analyzers;
using HealthGen.Generators.Tests.Verifiers;

namespace HealthGen.Generators.Tests.Analyzers;

/// <summary>
/// Operations settings that do not compile: the compiler reports them, and the rules that read them neither crash
/// (an analyzer exception would be reported as AD0001 and fail the test) nor add diagnostics of their own.
/// </summary>
public sealed class BrokenOperationsSettingsTests
{
    private const string Source = """
        using HealthGen;

        public static class Broken
        {
            [ReadinessCheck("a", DependsOn = new[] { {|CS0103:Missing|} })] public static bool A() => true;
            [ReadinessCheck("b", DependsOn = {|CS0029:"b_dependency"|})] public static bool B() => true;
            [ReadinessCheck("c", PeriodMs = {|CS0029:"often"|}, CacheMs = 10, FailureThreshold = {|CS0103:Three|})] public static bool C() => true;
        }
        """;

    [Fact]
    public Task Invalid_attribute_values() => AnalyzerVerifier<InvalidCheckAttributeAnalyzer>.VerifyAsync(Source);

    [Fact]
    public Task Unknown_dependencies() => AnalyzerVerifier<UnknownCheckDependencyAnalyzer>.VerifyAsync(Source);

    [Fact]
    public Task Dependency_cycles() => AnalyzerVerifier<CheckDependencyCycleAnalyzer>.VerifyAsync(Source);

    [Fact]
    public Task Cache_on_background_checks() => AnalyzerVerifier<CacheOnBackgroundCheckAnalyzer>.VerifyAsync(Source);
}
