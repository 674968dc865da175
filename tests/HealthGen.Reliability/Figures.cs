using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using HealthGen.Testing;

namespace HealthGen.Reliability;

/// <summary>
/// Collects the measured figures of a run (requests served, time to detect and to recover, inputs tried)
/// into artifacts/reliability/figures.md, which docs/reliability.md reports. Figures are measured, never
/// asserted against a time: the assertions are about answers (no 500, liveness 200, detection, recovery).
/// </summary>
internal static class Figures
{
    private static readonly ConcurrentDictionary<string, string> Lines = new();

    public static void Record(string scenario, string figures)
    {
        Lines[scenario] = figures;
        string directory = RepositoryPaths.Combine("artifacts", "reliability");
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, "figures.md"),
            ["| scenario | figures |", "|---|---|", .. Lines.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"| {l.Key} | {l.Value} |")]);
    }
}
