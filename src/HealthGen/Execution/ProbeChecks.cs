using System;
using System.Collections.Generic;

namespace HealthGen.Execution;

/// <summary>
/// The checks of one probe, in response order; the order to ask them in (dependencies first); and the reports of
/// their steady answer: every check healthy.
/// </summary>
internal sealed class ProbeChecks
{
    /// <param name="slots">The probe's checks, in response order. Their dependencies (<c>DependsOn</c>) are other
    /// checks of the same probe (resolvers: of the same kind), already validated (<c>HealthCheckSet</c>); a dependency
    /// that is not among them (a disabled check) holds nothing back.</param>
    public ProbeChecks(CheckSlot[] slots)
    {
        Slots = slots;
        AllHealthy = new CheckReport[slots.Length];
        DependenciesOf = new int[slots.Length][];
        for (int i = 0; i < slots.Length; i++)
        {
            AllHealthy[i] = new CheckReport(slots[i].Check, new CheckResult(HealthResult.Healthy(), CheckFailure.None, TimeSpan.Zero));
            DependenciesOf[i] = IndicesOf(slots, slots[i].Check);
            slots[i].Dependencies = Array.ConvertAll(DependenciesOf[i], d => slots[d]);
            HasDependencies |= DependenciesOf[i].Length > 0;
        }

        Order = HasDependencies ? DependenciesFirst(DependenciesOf) : [.. System.Linq.Enumerable.Range(0, slots.Length)];
        Names = new HashSet<string>(Array.ConvertAll(slots, slot => slot.Check.Name), StringComparer.Ordinal);
    }

    public CheckSlot[] Slots { get; }

    /// <summary>The checks' names: what <c>?exclude</c> can match.</summary>
    public IReadOnlySet<string> Names { get; }

    /// <summary>For each check, the positions of the checks it depends on.</summary>
    public int[][] DependenciesOf { get; }

    /// <summary>Whether any check of the probe depends on another.</summary>
    public bool HasDependencies { get; }

    /// <summary>The positions in the order a probe asks the checks: every check after its dependencies (else response order).</summary>
    public int[] Order { get; }

    /// <summary>
    /// Every check as healthy: what a plain body shows when every check is. A plain body shows a healthy check as
    /// "OK" (or not at all) whatever its duration, description or caching, so these stand for any healthy results.
    /// </summary>
    public CheckReport[] AllHealthy { get; }

    /// <summary>A new array of reports, each healthy until replaced: what a probe collects into once a check is not healthy at once.</summary>
    public CheckReport[] NewReports() => (CheckReport[])AllHealthy.Clone();

    private static int[] IndicesOf(CheckSlot[] slots, HealthCheckRegistration check)
    {
        var indices = new List<int>(check.DependsOn.Count);
        foreach (string dependency in check.DependsOn)
        {
            int index = Array.FindIndex(slots, s => s.Check.Name == dependency && s.Check.Kind == check.Kind);
            if (index >= 0)
            {
                indices.Add(index);
            }
        }

        return [.. indices];
    }

    /// <summary>A depth-first order in which every check comes after its dependencies (the graph has no cycle: HealthCheckSet).</summary>
    private static int[] DependenciesFirst(int[][] dependenciesOf)
    {
        var order = new List<int>(dependenciesOf.Length);
        var placed = new bool[dependenciesOf.Length];
        void Place(int check)
        {
            if (placed[check])
            {
                return;
            }

            placed[check] = true;
            foreach (int dependency in dependenciesOf[check])
            {
                Place(dependency);
            }

            order.Add(check);
        }

        for (int i = 0; i < dependenciesOf.Length; i++)
        {
            Place(i);
        }

        return [.. order];
    }
}
