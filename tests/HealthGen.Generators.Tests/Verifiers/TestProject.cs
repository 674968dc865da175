using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using NuGet.Configuration;

namespace HealthGen.Generators.Tests.Verifiers;

/// <summary>
/// The project every analyzer, code-fix and generator test of the Roslyn SDK's test libraries compiles: C#
/// latest with nullable annotations on (as in the repository's own projects), the .NET and ASP.NET Core
/// reference packs, the HealthGen runtime (the check attributes) and the dependency clients HG0001 knows.
/// </summary>
/// <remarks>
/// The test library's <c>ReferenceAssemblies.Net.Net90</c> asks for Microsoft.NETCore.App.Ref 9.0.0, which our
/// package sources do not serve, so the packs are pinned to the version RoslynTesting.props names. That file
/// downloads both packs into NuGet's global packages folder at restore time, from the same sources as the
/// rest of the build; the library takes them from there (into a temp folder of its own), so a test never
/// goes to a feed itself (docs/contributing.md, "Analyzer and code-fix tests").
/// </remarks>
internal static class TestProject
{
    private const string PackVersionMetadata = "RoslynTestingReferencePackVersion";

    public static ReferenceAssemblies ReferenceAssemblies { get; } = CreateReferenceAssemblies();

    /// <summary>Assemblies outside the shared frameworks that test code uses, taken from the test's own output.</summary>
    public static ImmutableArray<MetadataReference> Libraries { get; } =
    [
        .. new[]
        {
            typeof(HealthResult).Assembly,
            typeof(Npgsql.NpgsqlConnection).Assembly,
            typeof(System.DirectoryServices.Protocols.LdapConnection).Assembly,
        }.Select(assembly => (MetadataReference)MetadataReference.CreateFromFile(assembly.Location)),
    ];

    /// <summary>Applies the project settings to a test of the Roslyn SDK's test library.</summary>
    public static void Configure<TVerifier>(AnalyzerTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = ReferenceAssemblies;
        test.TestState.AdditionalReferences.AddRange(Libraries);
        test.SolutionTransforms.Add(static (solution, projectId) =>
        {
            Project project = solution.GetProject(projectId)!;
            var compilationOptions = (CSharpCompilationOptions)project.CompilationOptions!;
            var parseOptions = (CSharpParseOptions)project.ParseOptions!;
            return solution
                .WithProjectCompilationOptions(projectId, compilationOptions
                    .WithNullableContextOptions(NullableContextOptions.Enable)
                    // XML comments stay checked (the generated ones too); test code need not document itself.
                    .WithSpecificDiagnosticOptions(compilationOptions.SpecificDiagnosticOptions.SetItem("CS1591", ReportDiagnostic.Suppress)))
                .WithProjectParseOptions(projectId, parseOptions.WithLanguageVersion(LanguageVersion.Latest));
        });
    }

    private static ReferenceAssemblies CreateReferenceAssemblies()
    {
        string version = typeof(TestProject).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == PackVersionMetadata)?.Value
            ?? throw new InvalidOperationException($"The test assembly has no {PackVersionMetadata} metadata: is RoslynTesting.props imported?");

        // The library looks in the global packages folder first and only then asks the user's feeds, which need
        // not be the build's: fail here, saying what to do, rather than let a test go to a feed.
        string globalPackages = SettingsUtility.GetGlobalPackagesFolder(Settings.LoadDefaultSettings(root: null));
        string[] packs = ["Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref"];
        foreach (string pack in packs)
        {
            string folder = Path.Combine(globalPackages, pack.ToLowerInvariant(), version);
            if (!Directory.Exists(folder))
            {
                throw new InvalidOperationException($"{pack} {version} is not in the global packages folder ({folder}): restore the test project (dotnet restore), which downloads it from the build's package sources.");
            }
        }

        return new ReferenceAssemblies("net10.0", new PackageIdentity(packs[0], version), Path.Combine("ref", "net10.0"))
            .AddPackages([new PackageIdentity(packs[1], version)]);
    }
}
