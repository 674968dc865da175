using System.Threading.Tasks;
using HealthGen.Generators.Analyzers;
using HealthGen.Generators.Tests.Verifiers;
using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Tests.Analyzers;

/// <summary>
/// HG0004 across assemblies: a name the project shares with a referenced library, or two referenced libraries share,
/// is reported as the project builds (not only when <c>MapHealthGen</c> throws at start-up), naming both assemblies.
/// The libraries are compiled with the generator, so the rule reads what the generator declares.
/// </summary>
public sealed class DuplicateCheckNameAcrossAssembliesTests
{
    private const string Library = """
        using HealthGen;

        namespace Lib;

        public static class LibraryChecks
        {
            [ReadinessCheck("database")] public static bool Database() => true;
            [ResolverCheck("users", Kind = "ldapresolver")] public static bool Users() => true;
        }
        """;

    [Fact]
    public async Task A_name_the_project_shares_with_a_referenced_library_is_reported_on_the_project_s_check()
    {
        MetadataReference library = await ReferencedLibrary.BuildAsync(Library, "Lib");
        await AnalyzerVerifier<DuplicateCheckNameAnalyzer>.VerifyWithReferencesAsync("""
            using HealthGen;

            public static class Probes
            {
                [{|#0:ReadinessCheck|}("database")] public static bool Database() => true;
                [{|#1:ResolverCheck|}("users", Kind = "ldapresolver")] public static bool Users() => true;
            }
            """,
            [library],
            Duplicate(0, "Readiness", "database", "declared in TestProject and in referenced assembly Lib"),
            Duplicate(1, "Resolver (ldapresolver)", "users", "declared in TestProject and in referenced assembly Lib"));
    }

    [Fact]
    public async Task A_name_taken_twice_in_the_project_and_once_in_a_library_names_all_of_them()
    {
        MetadataReference library = await ReferencedLibrary.BuildAsync(Library, "Lib");
        await AnalyzerVerifier<DuplicateCheckNameAnalyzer>.VerifyWithReferencesAsync("""
            using HealthGen;

            public static class Orders
            {
                [{|#0:ReadinessCheck|}("database")] public static bool Database() => true;
            }

            public static class Billing
            {
                [{|#1:ReadinessCheck|}("database")] public static bool Database() => true;
            }
            """,
            [library],
            Duplicate(0, "Readiness", "database", "also Billing.Database; declared in TestProject and in referenced assembly Lib").WithLocation(1),
            Duplicate(1, "Readiness", "database", "also Orders.Database; declared in TestProject and in referenced assembly Lib").WithLocation(0));
    }

    [Fact]
    public async Task A_name_two_referenced_libraries_share_is_reported_without_a_location_naming_both()
    {
        MetadataReference first = await ReferencedLibrary.BuildAsync(Library, "Orders.Checks");
        MetadataReference second = await ReferencedLibrary.BuildAsync(Library.Replace("namespace Lib", "namespace Other"), "Billing.Checks");
        await AnalyzerVerifier<DuplicateCheckNameAnalyzer>.VerifyWithReferencesAsync("""
            using HealthGen;

            public static class Probes
            {
                [LivenessCheck] public static bool Process() => true;
            }
            """,
            [first, second],
            AnalyzerVerifier<DuplicateCheckNameAnalyzer>.Diagnostic().WithArguments("Readiness", "database", "declared in referenced assemblies Billing.Checks and Orders.Checks"),
            AnalyzerVerifier<DuplicateCheckNameAnalyzer>.Diagnostic().WithArguments("Resolver (ldapresolver)", "users", "declared in referenced assemblies Billing.Checks and Orders.Checks"));
    }

    [Fact]
    public async Task Other_probes_other_kinds_and_checks_with_another_error_do_not_collide_with_a_library()
    {
        MetadataReference library = await ReferencedLibrary.BuildAsync(Library, "Lib");
        await AnalyzerVerifier<DuplicateCheckNameAnalyzer>.VerifyWithReferencesAsync("""
            using HealthGen;

            public static class Probes
            {
                [LivenessCheck("database")] public static bool Liveness() => true;
                [StartupCheck("database")] public static bool Startup() => true;
                [ResolverCheck("users", Kind = "sqlresolver")] public static bool SqlUsers() => true;
                [ReadinessCheck("orders")] public static bool Orders() => true;
                [ReadinessCheck("database")] private static bool Hidden() => true;
            }
            """,
            [library]);
    }

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Duplicate(int location, string probe, string name, string others)
        => AnalyzerVerifier<DuplicateCheckNameAnalyzer>.Diagnostic().WithLocation(location).WithArguments(probe, name, others);
}
