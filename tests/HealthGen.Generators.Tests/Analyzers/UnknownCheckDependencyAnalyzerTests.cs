using System.Threading.Tasks;
using HealthGen.Generators.Analyzers;
using HealthGen.Generators.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace HealthGen.Generators.Tests.Analyzers;

public sealed class UnknownCheckDependencyAnalyzerTests
{
    [Fact]
    public Task A_dependency_that_names_no_check_of_the_same_probe_or_kind_is_reported_on_the_entry() => AnalyzerVerifier<UnknownCheckDependencyAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [ReadinessCheck("database")] public static bool Database() => true;
            [LivenessCheck("process")] public static bool Process() => true;
            [ResolverCheck("users", Kind = "ldapresolver")] public static bool Users() => true;

            [ReadinessCheck("orders", DependsOn = new[] { "database", {|#0:"cache"|} })] public static bool Orders() => true;
            [ReadinessCheck("billing", DependsOn = [{|#1:"process"|}])] public static bool Billing() => true;
            [ResolverCheck("groups", Kind = "sqlresolver", DependsOn = new[] { {|#2:"users"|} })] public static bool Groups() => true;
            [StartupCheck("migrations", DependsOn = new string[] { {|#3:"database"|} })] public static bool Migrations() => true;
        }
        """,
        Unknown(0, "orders", "cache", "readyz"),
        Unknown(1, "billing", "process", "readyz"),
        Unknown(2, "groups", "users", "resolversz (sqlresolver)"),
        Unknown(3, "migrations", "database", "startupz"));

    [Fact]
    public Task Known_dependencies_and_entries_that_are_another_rule_s_are_not_reported() => AnalyzerVerifier<UnknownCheckDependencyAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [ReadinessCheck("database")] public static bool Database() => true;
            [ReadinessCheck("hidden")] private static bool Hidden() => true;
            [ReadinessCheck] public static bool CacheWarm() => true;
            [ResolverCheck("users", Kind = "ldapresolver")] public static bool Users() => true;

            [ReadinessCheck("orders", DependsOn = new[] { "database", "cache_warm", "hidden" })] public static bool Orders() => true;
            [ResolverCheck("groups", Kind = "ldapresolver", DependsOn = ["users"])] public static bool Groups() => true;

            // HG0008's: an invalid entry, the check's own name, a resolver without a valid Kind.
            [ReadinessCheck("bad", DependsOn = new[] { "Not Valid", "bad" })] public static bool Bad() => true;
            [ResolverCheck("nokind", DependsOn = new[] { "missing" })] public static bool NoKind() => true;
        }
        """);

    [Fact]
    public async Task Checks_of_referenced_assemblies_are_known_in_their_probe_and_kind_only()
    {
        MetadataReference library = await ReferencedLibrary.BuildAsync("""
            using HealthGen;

            namespace Lib;

            public static class LibraryChecks
            {
                [ReadinessCheck("database")] public static bool Database() => true;
                [LivenessCheck("queue")] public static bool Queue() => true;
                [ResolverCheck("users", Kind = "ldapresolver")] public static bool Users() => true;
            }
            """, "Lib");
        await AnalyzerVerifier<UnknownCheckDependencyAnalyzer>.VerifyWithReferencesAsync("""
            using HealthGen;

            public static class Checks
            {
                [ReadinessCheck("orders", DependsOn = new[] { "database" })] public static bool Orders() => true;
                [ReadinessCheck("billing", DependsOn = new[] { {|#0:"queue"|} })] public static bool Billing() => true;
                [ResolverCheck("groups", Kind = "ldapresolver", DependsOn = new[] { "users" })] public static bool Groups() => true;
            }
            """,
            [library],
            Unknown(0, "billing", "queue", "readyz"));
    }

    private static DiagnosticResult Unknown(int location, string check, string dependency, string probe)
        => AnalyzerVerifier<UnknownCheckDependencyAnalyzer>.Diagnostic().WithLocation(location).WithArguments(check, dependency, probe);
}
