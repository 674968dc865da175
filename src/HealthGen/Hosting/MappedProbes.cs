using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HealthGen.Hosting;

/// <summary>
/// What <c>MapHealthGen</c> mapped in this application: the probe prefixes, to tell a probe request by its path
/// before routing has run (<see cref="HealthGenRequests.IsProbe"/>, the front door's first test), and the
/// endpoint data sources of the probe groups, which <see cref="ProbeFrontDoor"/> routes over.
/// </summary>
/// <remarks>
/// Only groups mapped on the application itself are listed. A <c>MapHealthGen</c> inside an outer
/// <c>MapGroup</c> gets its outer prefix and conventions from that group, which its own data source does not
/// carry; such probes are served by the application's pipeline only (docs/kubernetes.md).
/// Filled while the application maps its endpoints, read on every request: the lists are replaced whole.
/// </remarks>
internal sealed class MappedProbes
{
    private static readonly string[] Probes = ["livez", "readyz", "startupz", "resolversz"];

    private readonly Lock _gate = new();
    private string[] _prefixes = [];
    private EndpointDataSource[] _dataSources = [];

    public IReadOnlyList<EndpointDataSource> DataSources => Volatile.Read(ref _dataSources);

    public void Add(string prefix, EndpointDataSource probes)
    {
        lock (_gate)
        {
            Volatile.Write(ref _prefixes, [.. _prefixes, prefix]);
            Volatile.Write(ref _dataSources, [.. _dataSources, probes]);
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> is one of the probe routes — <c>{prefix}</c>, <c>{prefix}/livez</c> …
    /// <c>{prefix}/resolversz</c>, <c>{prefix}/{probe}/{check}</c>, <c>{prefix}/resolversz/{kind}/{check}</c> —
    /// compared as routing does (case-insensitive, one trailing slash allowed). <c>{prefix}/details</c> is not a probe.
    /// </summary>
    public bool IsProbePath(PathString path)
    {
        foreach (string prefix in Volatile.Read(ref _prefixes))
        {
            if (prefix == "/")
            {
                if (IsProbeRoute(path.Value.AsSpan()))
                {
                    return true;
                }
            }
            else if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase, out PathString rest) && IsProbeRoute(rest.Value.AsSpan()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The part after the prefix: "" or "/" (the overall probe), "/livez", "/readyz/database", "/resolversz/ldap/one".</summary>
    private static bool IsProbeRoute(ReadOnlySpan<char> route)
    {
        if (route.EndsWith("/"))
        {
            route = route[..^1];
        }

        if (route.IsEmpty)
        {
            return true;
        }

        if (route[0] != '/')
        {
            return false;
        }

        route = route[1..];
        int slash = route.IndexOf('/');
        ReadOnlySpan<char> probe = slash < 0 ? route : route[..slash];
        int known = IndexOfProbe(probe);
        if (known < 0)
        {
            return false;
        }

        if (slash < 0)
        {
            return true;
        }

        // One more segment (the check), or two under resolversz (the kind, then the check); none may be empty.
        int segments = CountSegments(route[(slash + 1)..]);
        return segments == (Probes[known] == "resolversz" ? 2 : 1);
    }

    private static int IndexOfProbe(ReadOnlySpan<char> segment)
    {
        for (int i = 0; i < Probes.Length; i++)
        {
            if (segment.Equals(Probes[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The number of non-empty segments, or -1 when one is empty ("a//b").</summary>
    private static int CountSegments(ReadOnlySpan<char> rest)
    {
        int count = 0;
        foreach (Range segment in rest.Split('/'))
        {
            if (rest[segment].IsEmpty)
            {
                return -1;
            }

            count++;
        }

        return count;
    }
}
