using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace HealthGen.Probes;

/// <summary>
/// The application's checks, composed from every generated catalog, validated once at mapping time and
/// split by probe in a deterministic order (by name; resolvers by kind, then name), so responses list
/// checks in the same order on every request and every machine.
/// </summary>
internal sealed class HealthCheckSet
{
    public HealthCheckSet(IReadOnlyList<HealthCheckRegistration> checks, IEnumerable<string>? disabled = null)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var disabledPaths = new HashSet<string>(disabled ?? [], StringComparer.Ordinal);
        var unknown = new HashSet<string>(disabledPaths, StringComparer.Ordinal);
        var liveness = new List<HealthCheckRegistration>();
        var readiness = new List<HealthCheckRegistration>();
        var startup = new List<HealthCheckRegistration>();
        var resolvers = new List<HealthCheckRegistration>();
        var seen = new Dictionary<(ProbeKind, string?, string), HealthCheckRegistration>();
        StringBuilder? duplicates = null;

        foreach (HealthCheckRegistration check in checks)
        {
            ArgumentNullException.ThrowIfNull(check, nameof(checks));
            if (!seen.TryAdd((check.Probe, check.Kind, check.Name), check))
            {
                HealthCheckRegistration first = seen[(check.Probe, check.Kind, check.Name)];
                (duplicates ??= new StringBuilder()).Append(duplicates.Length == 0 ? "" : "; ")
                    .Append(check).Append(" from ").Append(first.Source ?? "an unnamed source").Append(" and from ").Append(check.Source ?? "an unnamed source");
                continue;
            }

            string path = PathOf(check);
            unknown.Remove(path);
            if (disabledPaths.Contains(path))
            {
                continue;
            }

            (check.Probe switch
            {
                ProbeKind.Liveness => liveness,
                ProbeKind.Readiness => readiness,
                ProbeKind.Startup => startup,
                _ => resolvers,
            }).Add(check);
        }

        if (duplicates is not null)
        {
            throw new InvalidOperationException(
                $"HealthGen found checks with the same name in one probe: {duplicates}. " +
                "Check names must be unique per probe (and per kind for resolvers): rename one with the attribute's name argument " +
                "(an imported IHealthCheck by its registration name, or leave it out with HealthGen:IgnoredHealthChecks).");
        }

        if (unknown.Count > 0)
        {
            var known = new List<string>();
            foreach (HealthCheckRegistration check in checks)
            {
                known.Add(PathOf(check));
            }

            known.Sort(StringComparer.Ordinal);
            throw new InvalidOperationException(
                $"HealthGen:DisabledChecks names no check: {string.Join(", ", unknown)}. Checks are named by path: {string.Join(", ", known)}.");
        }

        ValidateDependencies(seen, disabledPaths);

        Comparison<HealthCheckRegistration> byName = static (a, b) => string.CompareOrdinal(a.Name, b.Name);
        liveness.Sort(byName);
        readiness.Sort(byName);
        startup.Sort(byName);
        resolvers.Sort(static (a, b) => string.CompareOrdinal(a.Kind, b.Kind) is var byKind and not 0 ? byKind : string.CompareOrdinal(a.Name, b.Name));

        Liveness = [.. liveness];
        Readiness = [.. readiness];
        Startup = [.. startup];
        Resolvers = [.. resolvers];
    }

    public HealthCheckRegistration[] Liveness { get; }

    public HealthCheckRegistration[] Readiness { get; }

    public HealthCheckRegistration[] Startup { get; }

    /// <summary>Resolver checks sorted by kind, then name, so a response can group them in one pass.</summary>
    public HealthCheckRegistration[] Resolvers { get; }

    /// <summary>
    /// The start-up backstop of HG0010 and HG0011 (the generator reports both at compile time where it can see every
    /// check): every <c>DependsOn</c> names a check of the same probe (resolvers: of the same kind), and no check
    /// depends on itself through others. A dependency that is disabled (<c>DisabledChecks</c>) holds nothing back.
    /// </summary>
    private static void ValidateDependencies(Dictionary<(ProbeKind, string?, string), HealthCheckRegistration> checks, HashSet<string> disabledPaths)
    {
        foreach (HealthCheckRegistration check in checks.Values)
        {
            foreach (string dependency in check.DependsOn)
            {
                if (!checks.ContainsKey((check.Probe, check.Kind, dependency)))
                {
                    string where = check.Kind is null ? $"no {check.Probe.ToString().ToLowerInvariant()} check" : $"no {check.Kind} resolver";
                    throw new InvalidOperationException(
                        $"{check.Describe()} depends on '{dependency}', but there is {where} of that name (HG0010). DependsOn names checks of the same probe (for resolvers: of the same kind).");
                }
            }
        }

        var state = new Dictionary<HealthCheckRegistration, bool>(); // false: on the path being followed; true: done
        var path = new List<HealthCheckRegistration>();
        void Visit(HealthCheckRegistration check)
        {
            if (state.TryGetValue(check, out bool done))
            {
                if (!done)
                {
                    int start = path.IndexOf(check);
                    IEnumerable<string> cycle = path.GetRange(start, path.Count - start).ConvertAll(c => c.Name).Append(check.Name);
                    throw new InvalidOperationException(
                        $"HealthGen found a dependency cycle: {string.Join(" → ", cycle)} ({check.Probe}{(check.Kind is null ? "" : " " + check.Kind)}; {check.Describe()}) (HG0011). A check cannot depend on itself, directly or through others.");
                }

                return;
            }

            state[check] = false;
            path.Add(check);
            foreach (string dependency in check.DependsOn)
            {
                HealthCheckRegistration next = checks[(check.Probe, check.Kind, dependency)];
                if (!disabledPaths.Contains(PathOf(next)))
                {
                    Visit(next);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[check] = true;
        }

        foreach (HealthCheckRegistration check in checks.Values)
        {
            if (!disabledPaths.Contains(PathOf(check)))
            {
                Visit(check);
            }
        }
    }

    /// <summary>The check's single-check path below the prefix: <c>readyz/database</c>, <c>resolversz/ldapresolver/ldapresolver1</c>.</summary>
    public static string PathOf(HealthCheckRegistration check) => check.Probe switch
    {
        ProbeKind.Liveness => "livez/" + check.Name,
        ProbeKind.Readiness => "readyz/" + check.Name,
        ProbeKind.Startup => "startupz/" + check.Name,
        _ => $"resolversz/{check.Kind}/{check.Name}",
    };
}
