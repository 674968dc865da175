using System.Threading.Tasks;
using HealthGen.Generators.Analyzers;
using HealthGen.Generators.Tests.Verifiers;

namespace HealthGen.Generators.Tests.Analyzers;

public sealed class InvalidCheckAttributeAnalyzerTests
{
    [Fact]
    public Task Invalid_values_are_reported_on_the_argument() => AnalyzerVerifier<InvalidCheckAttributeAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [ReadinessCheck([|"Database"|])] public static bool A() => true;
            [ReadinessCheck([|"has space"|])] public static bool B() => true;
            [ReadinessCheck([|"status"|])] public static bool C() => true;
            [ReadinessCheck(TimeoutMs = [|0|])] public static bool D() => true;
            [ReadinessCheck("e", TimeoutMs = [|-100|], CacheMs = [|-1|])] public static bool E() => true;
            [ResolverCheck("r1", Kind = [|"LDAP"|])] public static bool F() => true;
            [ResolverCheck([|null!|], Kind = "ldapresolver")] public static bool G() => true;
            [[|ResolverCheck|]("r2")] public static bool H() => true;
            [[|LivenessCheck|]] public static bool _Underscore() => true;
            [ReadinessCheck([|"a1234567890123456789012345678901234567890123456789012345678901234"|])] public static bool Long() => true;
        }
        """);

    [Fact]
    public Task Invalid_operations_settings_are_reported_on_the_argument_or_the_entry() => AnalyzerVerifier<InvalidCheckAttributeAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [ReadinessCheck("a", PeriodMs = {|#0:-1|})] public static bool A() => true;
            [ReadinessCheck("b", FailureThreshold = {|#1:0|})] public static bool B() => true;
            [ReadinessCheck("c", DependsOn = new[] { "ok", {|#2:"Not Valid"|}, {|#3:"c"|} })] public static bool C() => true;
            [ReadinessCheck("d", DependsOn = [{|#4:"status"|}, {|#5:null!|}])] public static bool D() => true;
            [LivenessCheck(DependsOn = new string[] { {|#6:"self_named"|} })] public static bool SelfNamed() => true;
            [ResolverCheck("r", Kind = "sqlresolver", FailureThreshold = {|#7:-3|}, PeriodMs = {|#8:-1000|})] public static bool R() => true;
        }
        """,
        Invalid(0, "ReadinessCheck", "A", "PeriodMs cannot be negative (is -1; 0 = not a background check)"),
        Invalid(1, "ReadinessCheck", "B", "FailureThreshold must be at least 1 (is 0)"),
        Invalid(2, "ReadinessCheck", "C", "the DependsOn entry 'Not Valid' does not match ^[a-z0-9][a-z0-9_.-]{0,62}$"),
        Invalid(3, "ReadinessCheck", "C", "the check cannot depend on itself ('c')"),
        Invalid(4, "ReadinessCheck", "D", "the DependsOn entry 'status' is reserved, so no check has it"),
        Invalid(5, "ReadinessCheck", "D", "a DependsOn entry is null: name a check of the same probe"),
        Invalid(6, "LivenessCheck", "SelfNamed", "the check cannot depend on itself ('self_named')"),
        Invalid(7, "ResolverCheck", "R", "FailureThreshold must be at least 1 (is -3)"),
        Invalid(8, "ResolverCheck", "R", "PeriodMs cannot be negative (is -1000; 0 = not a background check)"));

    [Fact]
    public Task Valid_operations_settings_are_clean() => AnalyzerVerifier<InvalidCheckAttributeAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [ReadinessCheck("a", PeriodMs = 0, FailureThreshold = 1, DependsOn = new string[0])] public static bool A() => true;
            [ReadinessCheck("b", PeriodMs = 10000, FailureThreshold = 5, DependsOn = new[] { "database", "db.primary-1" })] public static bool B() => true;
            [ReadinessCheck("c", DependsOn = null)] public static bool C() => true;
            [ResolverCheck("r", Kind = "sqlresolver", DependsOn = ["r0"])] public static bool R() => true;
        }
        """);

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Invalid(int location, string attribute, string method, string problem)
        => AnalyzerVerifier<InvalidCheckAttributeAnalyzer>.Diagnostic().WithLocation(location).WithArguments(attribute, method, problem);

    [Fact]
    public Task Valid_names_kinds_and_settings_are_clean() => AnalyzerVerifier<InvalidCheckAttributeAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [LivenessCheck] public static bool Process() => true;
            [ReadinessCheck("db.primary-1_x", TimeoutMs = 1, CacheMs = 0)] public static bool A() => true;
            [ResolverCheck("ldapresolver1", Kind = "ldapresolver", CacheMs = 10000)] public static bool B() => true;
            [StartupCheck(name: "migrations")] public static bool C() => true;
        }
        """);
}

public sealed class ConflictingCheckAttributesAnalyzerTests
{
    [Fact]
    public Task Liveness_combined_with_another_probe_is_reported() => AnalyzerVerifier<ConflictingCheckAttributesAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [LivenessCheck("a"), [|ReadinessCheck|]("a")] public static bool A() => true;

            [LivenessCheck("b")]
            [[|StartupCheck|]("b")]
            [[|ResolverCheck|]("b", Kind = "sqlresolver")]
            public static bool B() => true;
        }
        """);

    [Fact]
    public Task Readiness_with_startup_or_resolver_is_allowed() => AnalyzerVerifier<ConflictingCheckAttributesAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [ReadinessCheck("db"), StartupCheck("db")] public static bool Database() => true;
            [ReadinessCheck("users"), ResolverCheck("users", Kind = "sqlresolver")] public static bool Users() => true;
            [LivenessCheck] public static bool Process() => true;
        }
        """);
}

public sealed class DuplicateCheckNameAnalyzerTests
{
    [Fact]
    public Task Duplicate_names_in_one_probe_are_reported_on_each() => AnalyzerVerifier<DuplicateCheckNameAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [[|ReadinessCheck|]("db")] public static bool A() => true;
            [[|ReadinessCheck|]("db")] public static bool B() => true;

            [[|LivenessCheck|]] public static bool Process() => true;
        }

        public static class More
        {
            [[|LivenessCheck|]("process")] public static bool Other() => true;
            [[|ResolverCheck|]("r1", Kind = "sqlresolver")] public static bool R1() => true;
            [[|ResolverCheck|]("r1", Kind = "sqlresolver")] public static bool R1Again() => true;
        }
        """);

    [Fact]
    public Task The_same_name_in_different_probes_or_kinds_is_allowed() => AnalyzerVerifier<DuplicateCheckNameAnalyzer>.VerifyAsync("""
        using HealthGen;

        public static class Checks
        {
            [LivenessCheck("db")] public static bool A() => true;
            [ReadinessCheck("db")] public static bool B() => true;
            [StartupCheck("db")] public static bool C() => true;
            [ResolverCheck("db", Kind = "sqlresolver")] public static bool D() => true;
            [ResolverCheck("db", Kind = "ldapresolver")] public static bool E() => true;
        }
        """);
}

public sealed class DuplicateCheckNameAgreementTests
{
    [Fact]
    public Task A_duplicate_of_a_check_that_has_another_error_is_not_a_duplicate() => AnalyzerVerifier<DuplicateCheckNameAnalyzer>.VerifyAsync("""
        using HealthGen;

        public class Checks
        {
            [ReadinessCheck("db")] public static bool Valid() => true;
            [ReadinessCheck("db")] private static bool Hidden() => true;
            [ReadinessCheck("db")] public static int WrongReturn() => 1;
        }
        """);
}
