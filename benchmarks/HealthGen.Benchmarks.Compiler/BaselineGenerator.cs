using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace HealthGen.Benchmarks.Compiler;

/// <summary>
/// Another build of HealthGen.Generators.dll, loaded into its own context (its Roslyn references resolve to this
/// process's), so two versions of the generator can be measured side by side.
/// </summary>
internal static class BaselineGenerator
{
    public static Func<IIncrementalGenerator> Load(string path)
    {
        var context = new AssemblyLoadContext("baseline-generator");
        Assembly assembly = context.LoadFromAssemblyPath(Path.GetFullPath(path));
        Type type = assembly.GetType("HealthGen.Generators.HealthProbeGenerator", throwOnError: true)!;
        return () => (IIncrementalGenerator)Activator.CreateInstance(type)!;
    }
}
