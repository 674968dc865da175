using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthGen.Benchmarks.AnchorApp;

/// <summary>Tags that put a registration on a probe; a resolver also carries its kind.</summary>
public static class ProbeTags
{
    public const string Live = "live";
    public const string Ready = "ready";
    public const string Startup = "startup";
    public const string Resolver = "resolver";
    public const string SqlResolver = "sqlresolver";
    public const string LdapResolver = "ldapresolver";
}

/// <summary>
/// MapHealthChecks response writers producing HealthGen's bodies (docs/probes.md) through the
/// source-generated <see cref="AnchorJsonContext"/>: livez lists the checks that are not healthy, readyz every
/// check in ordinal order, resolversz every check grouped by kind, startupz the status only.
/// </summary>
public sealed class ProbeWriters(CancellationToken stopping)
{
    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary><c>/healthz</c>: livez's answer if liveness fails, else readyz's.</summary>
    public Task WriteOverall(HttpContext context, HealthReport report)
        => AllPassed(report, ProbeTags.Live) ? WriteReadiness(context, report) : WriteLiveness(context, report);

    public static Task WriteLiveness(HttpContext context, HealthReport report)
    {
        bool passed = AllPassed(report, ProbeTags.Live);
        var body = new Dictionary<string, string> { ["status"] = passed ? "OK" : "fail" };
        foreach (string name in SortedNames(report, ProbeTags.Live))
        {
            HealthStatus status = report.Entries[name].Status;
            if (status != HealthStatus.Healthy)
            {
                body[name] = Word(status);
            }
        }

        return Write(context, passed, body);
    }

    /// <summary><c>/healthz/readyz</c>: shutting down → 503; a startup check not passed → 503 "not ready"; else the readiness checks.</summary>
    public Task WriteReadiness(HttpContext context, HealthReport report)
    {
        if (stopping.IsCancellationRequested)
        {
            return Write(context, passed: false, new Dictionary<string, string> { ["status"] = "shutting down" });
        }

        if (!AllPassed(report, ProbeTags.Startup))
        {
            return Write(context, passed: false, new Dictionary<string, string> { ["status"] = "not ready" });
        }

        bool passed = AllPassed(report, ProbeTags.Ready);
        var body = new Dictionary<string, string> { ["status"] = passed ? "ready" : "not ready" };
        foreach (string name in SortedNames(report, ProbeTags.Ready))
        {
            body[name] = Word(report.Entries[name].Status);
        }

        return Write(context, passed, body);
    }

    public static Task WriteStartup(HttpContext context, HealthReport report)
    {
        bool passed = AllPassed(report, ProbeTags.Startup);
        return Write(context, passed, new Dictionary<string, string> { ["status"] = passed ? "started" : "not started" });
    }

    public static Task WriteResolvers(HttpContext context, HealthReport report)
    {
        bool passed = AllPassed(report, ProbeTags.Resolver);
        var kinds = new SortedDictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (string name in SortedNames(report, ProbeTags.Resolver))
        {
            HealthReportEntry entry = report.Entries[name];
            string kind = KindOf(entry);
            if (!kinds.TryGetValue(kind, out Dictionary<string, string>? checks))
            {
                kinds.Add(kind, checks = new Dictionary<string, string>(StringComparer.Ordinal));
            }

            checks[name] = Word(entry.Status);
        }

        var body = new Dictionary<string, object> { ["status"] = passed ? "ready" : "not ready" };
        foreach ((string kind, Dictionary<string, string> checks) in kinds)
        {
            body[kind] = checks;
        }

        context.Response.StatusCode = passed ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsJsonAsync(body, AnchorJsonContext.Default.DictionaryStringObject, JsonContentType, context.RequestAborted);
    }

    private static Task Write(HttpContext context, bool passed, Dictionary<string, string> body)
    {
        context.Response.StatusCode = passed ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsJsonAsync(body, AnchorJsonContext.Default.DictionaryStringString, JsonContentType, context.RequestAborted);
    }

    /// <summary>Degraded passes (HTTP 200), like HealthGen.</summary>
    private static bool AllPassed(HealthReport report, string tag)
    {
        foreach (HealthReportEntry entry in report.Entries.Values)
        {
            if (entry.Status == HealthStatus.Unhealthy && entry.Tags.Contains(tag))
            {
                return false;
            }
        }

        return true;
    }

    private static List<string> SortedNames(HealthReport report, string tag)
    {
        var names = new List<string>(report.Entries.Count);
        foreach (KeyValuePair<string, HealthReportEntry> entry in report.Entries)
        {
            if (entry.Value.Tags.Contains(tag))
            {
                names.Add(entry.Key);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static string KindOf(HealthReportEntry entry)
    {
        foreach (string tag in entry.Tags)
        {
            if (tag != ProbeTags.Resolver)
            {
                return tag;
            }
        }

        return ProbeTags.Resolver;
    }

    private static string Word(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "OK",
        HealthStatus.Degraded => "degraded",
        _ => "fail",
    };
}

/// <summary>The bodies' JSON metadata, generated at compile time (no reflection-based serializer).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(string))]
public sealed partial class AnchorJsonContext : JsonSerializerContext;
