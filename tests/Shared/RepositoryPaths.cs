using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace HealthGen.Testing;

/// <summary>
/// Where the repository is, from assembly metadata written at build time. [CallerFilePath] cannot be used:
/// CI builds map source paths to "/_/" (ContinuousIntegrationBuild), so they would point nowhere.
/// </summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Path.GetFullPath(
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "RepositoryRoot")?.Value
        ?? throw new InvalidOperationException("The test assembly has no RepositoryRoot metadata (see tests/Directory.Build.props)."));

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
