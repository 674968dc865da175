using System.Threading.Tasks;
using HealthGen.Generators.Analyzers;
using HealthGen.Generators.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;

namespace HealthGen.Generators.Tests.Analyzers;

public sealed class CacheOnBackgroundCheckAnalyzerTests
{
    [Fact]
    public Task CacheMs_on_a_background_check_is_reported_on_the_argument() => AnalyzerVerifier<CacheOnBackgroundCheckAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [ReadinessCheck("database", PeriodMs = 5000, {|#0:CacheMs = 1000|})] public static bool Database() => true;
            [ResolverCheck("users", Kind = "ldapresolver", {|#1:CacheMs = 0|}, PeriodMs = 100)] public static bool Users() => true;
            [LivenessCheck(PeriodMs = 1, {|#2:CacheMs = 5|})] public static bool ProcessAlive() => true;
        }
        """,
        Background(0, "database", "5000"),
        Background(1, "users", "100"),
        Background(2, "process_alive", "1"));

    [Fact]
    public Task CacheMs_on_an_on_demand_check_and_a_background_check_without_it_are_clean() => AnalyzerVerifier<CacheOnBackgroundCheckAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [ReadinessCheck("a", CacheMs = 1000)] public static bool A() => true;
            [ReadinessCheck("b", PeriodMs = 0, CacheMs = 1000)] public static bool B() => true;
            [ReadinessCheck("c", PeriodMs = 5000, TimeoutMs = 800)] public static bool C() => true;
            [ReadinessCheck("d", PeriodMs = -1, CacheMs = 1000)] public static bool D() => true; // HG0008's
        }
        """);

    private static DiagnosticResult Background(int location, string check, string periodMs)
        => AnalyzerVerifier<CacheOnBackgroundCheckAnalyzer>.Diagnostic().WithLocation(location).WithArguments(check, periodMs);
}
