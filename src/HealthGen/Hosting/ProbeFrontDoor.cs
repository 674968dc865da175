using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HealthGen.Hosting;

/// <summary>
/// Answers the kubelet's probes in front of the application's pipeline when the application's host filtering
/// would refuse them — the only way past <see cref="HostFilteringMiddleware"/>, which runs before routing (the
/// default builders add it in a startup filter), may be added by hand anywhere, and has no endpoint metadata to
/// let a path through (docs/kubernetes.md, "Hardened applications and probes").
/// </summary>
/// <remarks>
/// <para>
/// It is the first middleware of the host's pipeline (<see cref="ProbeFrontDoorStartupFilter"/>). For a request on a
/// probe path (<see cref="MappedProbes.IsProbePath"/>) whose Host the application would refuse
/// (<see cref="ApplicationHostFilter"/>), it runs ASP.NET Core's own endpoint routing over HealthGen's probe groups
/// alone, so <c>RequireHost</c> and every other matcher policy on the group apply as they do in the application. A
/// match that is an open probe (<see cref="OpenProbeMetadata"/>) is answered right there, with its endpoint set on
/// the context (so <c>DisableHttpMetrics</c> and <c>http.route</c> apply to it as to any endpoint). Anything else —
/// no match, a guarded probe, details — is handed to the application as if the front door had not looked: endpoint
/// and route values cleared, so the application's routing and its host filtering decide.
/// </para>
/// <para>
/// Every request the application's host filtering accepts goes through the pipeline unchanged, probes included (with
/// <c>[AllowAnonymous]</c>, see <see cref="ProbeAccess"/>), so what the application sees of any other path — and of
/// probes on an allowed Host — does not change. The front door is off when no probe group was mapped on the
/// application itself or <see cref="HealthGenOptions.OpenProbes"/> is false.
/// </para>
/// </remarks>
internal static class ProbeFrontDoor
{
    /// <summary>The front door as a middleware of <paramref name="app"/>; it is built with the pipeline, after every endpoint is mapped.</summary>
    public static Func<RequestDelegate, RequestDelegate> For(IApplicationBuilder app) => application => Build(app, application);

    private static RequestDelegate Build(IApplicationBuilder app, RequestDelegate application)
    {
        IServiceProvider services = app.ApplicationServices;
        MappedProbes? mapped = services.GetService<MappedProbes>();
        if (mapped is null || mapped.DataSources.Count == 0 || !services.GetRequiredService<IOptions<HealthGenOptions>>().Value.OpenProbes)
        {
            return application;
        }

        var hostFilter = new ApplicationHostFilter(services.GetRequiredService<IOptionsMonitor<HostFilteringOptions>>());

        // Routing over the probe groups only. UseEndpoints hands the groups to the branch's router (they are already
        // among the application's data sources, so nothing is listed twice); its EndpointMiddleware is never reached.
        IApplicationBuilder branch = app.New();
        branch.UseRouting();
        branch.Use(_ => context => AnswerOpenProbe(context, application));
        branch.UseEndpoints(endpoints =>
        {
            foreach (EndpointDataSource probes in mapped.DataSources)
            {
                endpoints.DataSources.Add(probes);
            }
        });
        RequestDelegate routeToProbe = branch.Build();

        return context => hostFilter.MayRefuse && mapped.IsProbePath(context.Request.Path) && hostFilter.Refuses(context)
            ? routeToProbe(context)
            : application(context);
    }

    private static Task AnswerOpenProbe(HttpContext context, RequestDelegate application)
    {
        Endpoint? endpoint = context.GetEndpoint();
        if (endpoint?.RequestDelegate is { } probe && endpoint.Metadata.GetMetadata<OpenProbeMetadata>() is not null)
        {
            // Called directly, not through EndpointMiddleware: that one throws for metadata whose middleware did not
            // run (a RequireCors on the group), which in front of the pipeline none has; a refused Host is no browser's.
            return probe(context);
        }

        // Not an open probe: the application routes the request itself, from scratch (its routing skips a request
        // that already has an endpoint).

        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        return application(context);
    }
}
