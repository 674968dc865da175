using System.Threading.Tasks;
using HealthGen.Generators.Analyzers;
using HealthGen.Generators.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace HealthGen.Generators.Tests.Analyzers;

public sealed class CheckDependencyCycleAnalyzerTests
{
    [Fact]
    public Task Every_check_of_a_cycle_is_reported_with_the_cycle_from_it() => AnalyzerVerifier<CheckDependencyCycleAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [ReadinessCheck("a", DependsOn = new[] { {|#0:"b"|} })] public static bool A() => true;
            [ReadinessCheck("b", DependsOn = new[] { {|#1:"a"|} })] public static bool B() => true;
            [ReadinessCheck("c", DependsOn = new[] { "a" })] public static bool C() => true;

            [StartupCheck("x", DependsOn = new[] { {|#2:"y"|} })] public static bool X() => true;
            [StartupCheck("y", DependsOn = new[] { "w", {|#3:"z"|} })] public static bool Y() => true;
            [StartupCheck("z", DependsOn = [{|#4:"x"|}])] public static bool Z() => true;
            [StartupCheck("w")] public static bool W() => true;

            [ResolverCheck("r1", Kind = "sqlresolver", DependsOn = new[] { {|#5:"r2"|} })] public static bool R1() => true;
            [ResolverCheck("r2", Kind = "sqlresolver", DependsOn = new[] { {|#6:"r1"|} })] public static bool R2() => true;
        }
        """,
        Cycle(0, "a", "readyz: a → b → a"),
        Cycle(1, "b", "readyz: b → a → b"),
        Cycle(2, "x", "startupz: x → y → z → x"),
        Cycle(3, "y", "startupz: y → z → x → y"),
        Cycle(4, "z", "startupz: z → x → y → z"),
        Cycle(5, "r1", "resolversz (sqlresolver): r1 → r2 → r1"),
        Cycle(6, "r2", "resolversz (sqlresolver): r2 → r1 → r2"));

    [Fact]
    public Task The_shortest_cycle_through_a_check_is_named() => AnalyzerVerifier<CheckDependencyCycleAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [ReadinessCheck("a", DependsOn = new[] { "b", {|#0:"c"|} })] public static bool A() => true;
            [ReadinessCheck("b", DependsOn = new[] { {|#1:"c"|} })] public static bool B() => true;
            [ReadinessCheck("c", DependsOn = new[] { {|#2:"a"|} })] public static bool C() => true;
        }
        """,
        Cycle(0, "a", "readyz: a → c → a"),
        Cycle(1, "b", "readyz: b → c → a → b"),
        Cycle(2, "c", "readyz: c → a → c"));

    [Fact]
    public Task Shared_dependencies_other_probes_unknown_names_and_self_entries_are_no_cycle() => AnalyzerVerifier<CheckDependencyCycleAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            // A diamond: d is reached twice, but nothing leads back.
            [ReadinessCheck("a", DependsOn = new[] { "b", "c" })] public static bool A() => true;
            [ReadinessCheck("b", DependsOn = new[] { "d" })] public static bool B() => true;
            [ReadinessCheck("c", DependsOn = new[] { "d", "missing" })] public static bool C() => true;
            [ReadinessCheck("d")] public static bool D() => true;

            // The same names in other probes or kinds are other checks.
            [LivenessCheck("d", DependsOn = new[] { "a" })] public static bool LiveD() => true;
            [ResolverCheck("r1", Kind = "sqlresolver", DependsOn = new[] { "r2" })] public static bool R1() => true;
            [ResolverCheck("r2", Kind = "ldapresolver", DependsOn = new[] { "r1" })] public static bool R2() => true;

            // Depending on itself is HG0008's.
            [StartupCheck("self", DependsOn = new[] { "self" })] public static bool Self() => true;
        }
        """);

    [Fact]
    public async Task A_cycle_through_a_referenced_assembly_names_it()
    {
        // A library whose own build had no analyzers (or suppressed HG0010): "b" depends on a name it does not have.
        MetadataReference library = await ReferencedLibrary.BuildAsync("""
            using HealthGen;

            namespace Lib;

            public static class LibraryChecks
            {
                [ReadinessCheck("b", DependsOn = new[] { "a" })] public static bool B() => true;
            }
            """, "Lib");
        await AnalyzerVerifier<CheckDependencyCycleAnalyzer>.VerifyWithReferencesAsync("""
            using HealthGen;

            public static class Checks
            {
                [ReadinessCheck("a", DependsOn = new[] { {|#0:"b"|} })] public static bool A() => true;
            }
            """,
            [library],
            Cycle(0, "a", "readyz: a → b (from Lib) → a"));
    }

    private static DiagnosticResult Cycle(int location, string check, string path)
        => AnalyzerVerifier<CheckDependencyCycleAnalyzer>.Diagnostic().WithLocation(location).WithArguments(check, path);
}
