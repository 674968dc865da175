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

/// <summary>Translates HTTP requests into probe calls and probe answers into responses.</summary>
internal sealed class ProbeRequestHandler(
    HealthProbes probes, JsonTypeInfo<ProbeResponse> responseType, JsonTypeInfo<DetailsResponse> detailsType, DetailsAccess details)
{
    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>
    /// A probe endpoint. When the probe's answer is at hand at once (cache hits, inline checks) the response is
    /// written synchronously: no state machine, no task, nothing of HealthGen's on the heap.
    /// </summary>
    public RequestDelegate Respond(Func<HealthProbes, ProbeQuery, CancellationToken, ValueTask<ProbeAnswer>> probe)
    {
        var steadyBody = new SteadyBody();
        return context =>
        {
            string method = context.Request.Method;
            if (!IsAllowedMethod(method))
            {
                return MethodNotAllowed(context);
            }

            CancellationToken requestAborted = context.RequestAborted;
            ValueTask<ProbeAnswer> answer = probe(probes, ProbeQuery.From(context.Request), requestAborted);
            if (!answer.IsCompletedSuccessfully)
            {
                return WriteWhenAnsweredAsync(context, answer, steadyBody);
            }

            ProbeAnswer result = answer.Result;
            return Write(context, in result, steadyBody, HttpMethods.IsHead(method), requestAborted);
        };
    }

    public RequestDelegate RespondForOne(ProbeKind probe)
        => context => IsAllowedMethod(context.Request.Method) ? RespondForOneAsync(context, probe) : MethodNotAllowed(context);

    /// <summary>
    /// Without the token, <c>details</c> answers exactly like a path that does not exist (404, no body, no
    /// extra headers, whatever the method), so it cannot even be discovered.
    /// </summary>
    public RequestDelegate RespondWithDetails()
        => context => !details.IsAuthorized(context.Request) ? NotFound(context)
            : IsAllowedMethod(context.Request.Method) ? RespondWithDetailsAsync(context)
            : MethodNotAllowed(context);

    private async Task WriteWhenAnsweredAsync(HttpContext context, ValueTask<ProbeAnswer> pending, SteadyBody steadyBody)
    {
        ProbeAnswer answer = await pending.ConfigureAwait(false);
        await Write(context, in answer, steadyBody, HttpMethods.IsHead(context.Request.Method), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task RespondForOneAsync(HttpContext context, ProbeKind probe)
    {
        string? name = context.Request.RouteValues["check"] as string;
        string? kind = probe == ProbeKind.Resolver ? context.Request.RouteValues["kind"] as string : null;
        ProbeAnswer? answer = name is null ? null
            : await probes.SingleCheckAsync(probe, kind, name, ProbeQuery.From(context.Request), context.RequestAborted).ConfigureAwait(false);
        if (answer is null)
        {
            await NotFound(context).ConfigureAwait(false);
            return;
        }

        ProbeAnswer single = answer.Value;
        await Write(context, in single, steadyBody: null, HttpMethods.IsHead(context.Request.Method), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task RespondWithDetailsAsync(HttpContext context)
    {
        DetailsResponse body = await probes.DetailsAsync(context.RequestAborted).ConfigureAwait(false);
        // Always 200: the details are the answer; the probes carry the status codes.
        await WriteJson(context, passed: true, body, detailsType, HttpMethods.IsHead(context.Request.Method)).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a probe answer. The endpoint's steady answer (passed, every check healthy, plain) is serialized once and
    /// its bytes reused.
    /// </summary>
    private Task Write(HttpContext context, in ProbeAnswer answer, SteadyBody? steadyBody, bool isHead, CancellationToken requestAborted)
    {
        if (steadyBody is null || !answer.IsSteady)
        {
            return WriteJson(context, answer.Passed, answer.Body, responseType, isHead);
        }

        SetHeaders(context.Response, passed: true);
        return isHead ? Task.CompletedTask
            : JsonBodyWriter.WriteAsync(context.Response, steadyBody.Bytes ??= JsonSerializer.SerializeToUtf8Bytes(answer.Body, responseType), requestAborted);
    }

    private static void SetHeaders(HttpResponse response, bool passed)
    {
        response.StatusCode = passed ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        response.Headers.CacheControl = "no-store";
        response.ContentType = JsonContentType;
    }

    private static Task WriteJson<T>(HttpContext context, bool passed, T body, JsonTypeInfo<T> type, bool isHead)
    {
        SetHeaders(context.Response, passed);
        return isHead ? Task.CompletedTask : JsonBodyWriter.WriteAsync(context.Response, body, type);
    }

    private static bool IsAllowedMethod(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    /// <summary>The same answer routing gives a path nobody mapped.</summary>
    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static Task MethodNotAllowed(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = "GET, HEAD";
        context.Response.Headers.CacheControl = "no-store";
        return Task.CompletedTask;
    }
}

/// <summary>
/// The bytes of a probe endpoint's steady answer (<see cref="ProbeAnswer.IsSteady"/>: passed, every check healthy, no
/// query options). It depends only on the endpoint's fixed set of checks, so it is serialized once (through the
/// generated JSON metadata, like every other body) and its bytes are reused.
/// </summary>
internal sealed class SteadyBody
{
    public byte[]? Bytes { get; set; }
}
