using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Probes;
using HealthGen.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HealthGen.Hosting;

/// <summary>
/// Maps the probe endpoints. Called by the <c>MapHealthGen</c> extension that the source generator emits
/// into each application, with the checks of every generated catalog and the generated JSON metadata.
/// </summary>
/// <remarks>
/// Endpoints are plain <see cref="RequestDelegate"/>s (no Request Delegate Generator, no reflection).
/// They answer <c>GET</c> and <c>HEAD</c>; any other method gets 405 with <c>Allow: GET, HEAD</c>.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HealthGenEndpoints
{
    private static readonly HealthGenEndpointMetadata Probe = HealthGenEndpointMetadata.Probe;

    /// <summary>
    /// Maps the probes under <paramref name="prefix"/>; returns the group so conventions apply to all. The probes
    /// answer any Host and need no credentials unless the team guards them (<c>RequireAuthorization</c>,
    /// <see cref="HealthGenOptions.OpenProbes"/>); details check their own token (docs/kubernetes.md).
    /// </summary>
    public static IEndpointConventionBuilder Map(
        IEndpointRouteBuilder endpoints,
        string prefix,
        JsonTypeInfo<ProbeResponse> responseType,
        JsonTypeInfo<DetailsResponse> detailsType,
        IReadOnlyList<HealthCheckRegistration> checks)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(responseType);
        ArgumentNullException.ThrowIfNull(detailsType);
        ArgumentNullException.ThrowIfNull(checks);
        string routePrefix = NormalizePrefix(prefix);

        IServiceProvider services = endpoints.ServiceProvider;
        HealthProbes probes = HealthProbesFactory.Create(services, checks, "MapHealthGen");
        HealthGenOptions options = services.GetRequiredService<IOptions<HealthGenOptions>>().Value;
        var handler = new ProbeRequestHandler(probes, responseType, detailsType, new DetailsAccess(options.DetailsToken));

        HashSet<EndpointDataSource> earlier = [.. endpoints.DataSources];
        RouteGroupBuilder group = endpoints.MapGroup(routePrefix);
        group.Map("", handler.Respond(static (p, q, ct) => p.OverallAsync(q, ct))).WithDisplayName("HealthGen " + routePrefix).WithMetadata(Probe);
        group.Map("/livez", handler.Respond(static (p, q, ct) => p.LivenessAsync(q, ct))).WithDisplayName("HealthGen livez").WithMetadata(Probe);
        group.Map("/readyz", handler.Respond(static (p, q, ct) => p.ReadinessAsync(q, ct))).WithDisplayName("HealthGen readyz").WithMetadata(Probe);
        group.Map("/startupz", handler.Respond(static (p, q, ct) => p.StartupAsync(q, ct))).WithDisplayName("HealthGen startupz").WithMetadata(Probe);
        group.Map("/resolversz", handler.Respond(static (p, q, ct) => p.ResolversAsync(q, ct))).WithDisplayName("HealthGen resolversz").WithMetadata(Probe);
        group.Map("/livez/{check}", handler.RespondForOne(ProbeKind.Liveness)).WithDisplayName("HealthGen livez check").WithMetadata(Probe);
        group.Map("/readyz/{check}", handler.RespondForOne(ProbeKind.Readiness)).WithDisplayName("HealthGen readyz check").WithMetadata(Probe);
        group.Map("/startupz/{check}", handler.RespondForOne(ProbeKind.Startup)).WithDisplayName("HealthGen startupz check").WithMetadata(Probe);
        group.Map("/resolversz/{kind}/{check}", handler.RespondForOne(ProbeKind.Resolver)).WithDisplayName("HealthGen resolversz check").WithMetadata(Probe);
        group.Map("/details", handler.RespondWithDetails()).WithDisplayName("HealthGen details").WithMetadata(HealthGenEndpointMetadata.Details);
        if (!options.LogRequests)
        {
            group.WithHttpLogging(HttpLoggingFields.None);
        }

        if (!options.RecordHttpMetrics)
        {
            // Endpoint metadata read by ASP.NET Core's hosting metrics (.NET 9+): no http.server.request.duration.
            group.DisableHttpMetrics();
        }

        // After every convention, the team's included: a probe is open unless the team asked for authorization.
        bool openProbes = options.OpenProbes;
        ((IEndpointConventionBuilder)group).Finally(endpoint => ProbeAccess.Apply(endpoint, openProbes));

        // The group's data source, which MapGroup added to the application, yields the group's endpoints with their
        // full prefix and every convention. Inside an outer group it would lack the outer ones: only groups mapped on
        // the application itself are listed for the front door and HealthGenRequests.IsProbe.
        EndpointDataSource[] added = endpoints.DataSources.Where(source => !earlier.Contains(source)).ToArray();
        if (endpoints is not RouteGroupBuilder && added.Length == 1)
        {
            services.GetRequiredService<MappedProbes>().Add(routePrefix, added[0]);
        }

        return group;
    }

    /// <summary>"/healthz/" → "/healthz"; "" and "/" → the root. A prefix must be an absolute path.</summary>
    internal static string NormalizePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0 && prefix[0] != '/')
        {
            throw new ArgumentException($"The probe prefix must start with '/' (was '{prefix}'), e.g. \"/healthz\".", nameof(prefix));
        }

        if (prefix.Contains('?') || prefix.Contains('#'))
        {
            throw new ArgumentException($"The probe prefix must be a path without query or fragment (was '{prefix}').", nameof(prefix));
        }

        string trimmed = prefix.TrimEnd('/');
        return trimmed.Length == 0 ? "/" : trimmed;
    }
}
