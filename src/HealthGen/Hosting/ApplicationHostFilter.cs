using System.Collections.Generic;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace HealthGen.Hosting;

/// <summary>
/// Whether the application's host filtering (<c>AllowedHosts</c>, <see cref="HostFilteringOptions"/>) refuses a
/// request's <c>Host</c>: the same options and the same comparison (<see cref="HostString.MatchesAny"/>) as ASP.NET
/// Core's <see cref="HostFilteringMiddleware"/>, which has no endpoint metadata to let a path through.
/// <see cref="ProbeFrontDoor"/> answers an open probe in front of the pipeline only when this says the application
/// would refuse it; every request it accepts flows through the pipeline as before.
/// </summary>
/// <remarks>
/// A misjudgement can only move a probe request from one path to the other, never open another endpoint: a Host
/// judged refused that the application would accept has its probe answered in front (the same body), a Host judged
/// accepted goes through the pipeline, which decides as ever. No allowed hosts configured means no host filtering
/// to get past (the middleware, if present, would fail every request alike).
/// </remarks>
internal sealed class ApplicationHostFilter
{
    private volatile AllowList _allowList;

    public ApplicationHostFilter(IOptionsMonitor<HostFilteringOptions> options)
    {
        _allowList = AllowList.From(options.CurrentValue);
        // Lives as long as the pipeline; the subscription ends with the options monitor, when the host is disposed.
        options.OnChange(changed => _allowList = AllowList.From(changed));
    }

    /// <summary>False when no Host at all is refused (no allowed hosts configured, or "*" with empty hosts allowed, the default): one field read.</summary>
    public bool MayRefuse => _allowList.MayRefuse;

    public bool Refuses(HttpContext context)
    {
        AllowList allowList = _allowList;
        if (!allowList.MayRefuse)
        {
            return false;
        }

        // In the middleware's order: an empty Host first, then the wildcard, then the list.
        string host = context.Request.Headers.Host.ToString();
        if (host.Length == 0)
        {
            return !allowList.EmptyHosts;
        }

        return !allowList.AnyNonEmptyHost && !HostString.MatchesAny(new StringSegment(host), allowList.Hosts);
    }

    /// <summary>The allowed hosts as the middleware reads them: punycode, and "*", "[::]" or "0.0.0.0" allow any non-empty Host.</summary>
    private sealed record AllowList(bool Configured, bool AnyNonEmptyHost, bool EmptyHosts, IList<StringSegment> Hosts)
    {
        public bool MayRefuse { get; } = Configured && !(AnyNonEmptyHost && EmptyHosts);

        public static AllowList From(HostFilteringOptions options)
        {
            var hosts = new List<StringSegment>();
            foreach (string entry in options.AllowedHosts ?? [])
            {
                string host = new HostString(entry).ToUriComponent();
                if (host is "*" or "[::]" or "0.0.0.0")
                {
                    return new AllowList(Configured: true, AnyNonEmptyHost: true, options.AllowEmptyHosts, hosts);
                }

                hosts.Add(host);
            }

            return new AllowList(Configured: hosts.Count > 0, AnyNonEmptyHost: false, options.AllowEmptyHosts, hosts);
        }
    }
}
