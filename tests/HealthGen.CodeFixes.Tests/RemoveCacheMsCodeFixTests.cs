using System.Threading.Tasks;
using HealthGen.Generators.Analyzers;

namespace HealthGen.CodeFixes.Tests;

public sealed class RemoveCacheMsCodeFixTests
{
    [Fact]
    public Task Removes_CacheMs_and_keeps_every_other_setting()
        => CodeFixVerifier<CacheOnBackgroundCheckAnalyzer, RemoveCacheMsCodeFixProvider>.VerifyAsync("""
            using HealthGen;

            public static class Probes
            {
                [ReadinessCheck("database", PeriodMs = 5000, [|CacheMs = 1000|], TimeoutMs = 800)]
                public static bool Database() => true;
            }
            """, """
            using HealthGen;

            public static class Probes
            {
                [ReadinessCheck("database", PeriodMs = 5000, TimeoutMs = 800)]
                public static bool Database() => true;
            }
            """);

    [Fact]
    public Task Fix_all_removes_it_wherever_it_stands_in_the_argument_list()
        => CodeFixVerifier<CacheOnBackgroundCheckAnalyzer, RemoveCacheMsCodeFixProvider>.VerifyFixAllAsync("""
            using HealthGen;

            public static class Probes
            {
                [ReadinessCheck("first", PeriodMs = 5000, [|CacheMs = 1000|])]
                public static bool First() => true;

                [ResolverCheck("second", [|CacheMs = 0|], Kind = "ldapresolver", PeriodMs = 100)]
                public static bool Second() => true;

                [ReadinessCheck("on_demand", CacheMs = 1000)]
                public static bool OnDemand() => true;
            }
            """, """
            using HealthGen;

            public static class Probes
            {
                [ReadinessCheck("first", PeriodMs = 5000)]
                public static bool First() => true;

                [ResolverCheck("second", Kind = "ldapresolver", PeriodMs = 100)]
                public static bool Second() => true;

                [ReadinessCheck("on_demand", CacheMs = 1000)]
                public static bool OnDemand() => true;
            }
            """, incrementalIterations: 2);
}
