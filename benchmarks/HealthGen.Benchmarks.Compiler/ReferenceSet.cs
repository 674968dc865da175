using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HealthGen.Benchmarks.Compiler;

/// <summary>
/// The references a real build of an ASP.NET Core project hands the compiler: the reference assemblies of
/// Microsoft.NETCore.App and Microsoft.AspNetCore.App from the SDK's packs, plus HealthGen.dll.
/// </summary>
internal static class ReferenceSet
{
    public static (ImmutableArray<MetadataReference> References, string Description) Load()
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!; // <root>/shared/Microsoft.NETCore.App/<version>
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        string tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        string? core = ReferencePack(dotnetRoot, "Microsoft.NETCore.App.Ref", tfm);
        string? aspNetCore = ReferencePack(dotnetRoot, "Microsoft.AspNetCore.App.Ref", tfm);
        string healthGen = typeof(HealthGen.HealthResult).Assembly.Location;

        List<string> files;
        string description;
        if (core is not null && aspNetCore is not null)
        {
            files = [.. Directory.GetFiles(core, "*.dll"), .. Directory.GetFiles(aspNetCore, "*.dll")];
            description = $"reference packs {Path.GetRelativePath(dotnetRoot, core)} + {Path.GetRelativePath(dotnetRoot, aspNetCore)}";
        }
        else
        {
            // No packs (a runtime-only install): the implementation assemblies this process runs on.
            string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            files = platform.Where(p =>
            {
                string name = Path.GetFileName(p);
                return !name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) && !name.StartsWith("HealthGen", StringComparison.Ordinal);
            }).ToList();
            description = "the running framework's implementation assemblies (no reference packs found)";
        }

        files.Add(healthGen);
        ImmutableArray<MetadataReference> references = files
            .Distinct(StringComparer.Ordinal)
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToImmutableArray();
        return (references, $"{references.Length} references: {description} + HealthGen.dll");
    }

    private static string? ReferencePack(string dotnetRoot, string pack, string tfm)
    {
        string packDirectory = Path.Combine(dotnetRoot, "packs", pack);
        if (!Directory.Exists(packDirectory))
        {
            return null;
        }

        // The newest pack of this major version that has this framework's reference folder.
        return Directory.GetDirectories(packDirectory)
            .Select(d => (Directory: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out Version? v) ? v : null))
            .Where(p => p.Version is not null && p.Version.Major == Environment.Version.Major)
            .OrderByDescending(p => p.Version)
            .Select(p => Path.Combine(p.Directory, "ref", tfm))
            .FirstOrDefault(Directory.Exists);
    }
}
