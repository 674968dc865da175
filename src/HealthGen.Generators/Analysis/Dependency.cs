using Microsoft.CodeAnalysis;

namespace HealthGen.Generators.Analysis;

/// <summary>A dependency as written: the name, and the <c>DependsOn</c> entry it comes from (where HG0010 and HG0011 report).</summary>
internal readonly record struct Dependency(string Name, Location Location);
