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
                // An answer still coming is a task (the probe's own state machine): pass that, not the wide ValueTask,
                // so this state machine stays small.
                return WriteWhenAnsweredAsync(context, answer.AsTask(), steadyBody);
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

    private async Task WriteWhenAnsweredAsync(HttpContext context, Task<ProbeAnswer> pending, SteadyBody steadyBody)
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
        response.Headers.XContentTypeOptions = "nosniff"; // a body that echoes ?exclude names is never sniffed as anything but JSON
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
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Task.CompletedTask;
    }
}
