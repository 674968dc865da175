using System;
using System.Text.Json;
using HealthGen.Execution;

namespace HealthGen.Serialization;

/// <summary>
/// The JSON body of a probe answer, e.g. <c>{"status":"ready","database":"OK"}</c>. Serialized by
/// <see cref="ProbeResponseJsonConverter"/> through the generated <c>HealthGenJsonContext</c>.
/// </summary>
/// <remarks>
/// It carries only fixed status words and compile-time check names; error text, exception types and
/// timings never reach it, which is what keeps the unauthenticated probe endpoints from leaking them.
/// </remarks>
public readonly struct ProbeResponse
{
    internal ProbeResponse(JsonEncodedText status, CheckReports checks = default, ResponseLayout layout = ResponseLayout.StatusOnly, bool verbose = false)
    {
        StatusText = status;
        Reports = checks;
        Layout = layout;
        Verbose = verbose;
    }

    /// <summary>The overall status word, e.g. "OK", "ready", "not ready", "started".</summary>
    public string Status => StatusText.Value ?? string.Empty;

    internal JsonEncodedText StatusText { get; }

    internal CheckReports Reports { get; }

    internal ReadOnlySpan<CheckReport> Checks => Reports.Span;

    internal ResponseLayout Layout { get; }

    /// <summary>Whether a <c>"checks"</c> object with per-check status, response time and caching follows.</summary>
    internal bool Verbose { get; }

    /// <summary>Gives the reports' pooled array back once the body is written (see <see cref="CheckReports.Return"/>).</summary>
    internal void ReturnChecks() => Reports.Return();
}

/// <summary>Which checks a response lists and how.</summary>
internal enum ResponseLayout
{
    /// <summary>Only <c>"status"</c>.</summary>
    StatusOnly,

    /// <summary>The checks that are not healthy (liveness: the passing body stays <c>{"status":"OK"}</c>).</summary>
    NotHealthyChecks,

    /// <summary>Every check, as <c>"name":"OK"</c>.</summary>
    AllChecks,

    /// <summary>Every check, grouped in an object per resolver kind (the checks come sorted by kind).</summary>
    GroupedByKind,
}

/// <summary>The fixed words of probe bodies, encoded once.</summary>
internal static class ProbeWords
{
    public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    public static readonly JsonEncodedText Ok = JsonEncodedText.Encode("OK");
    public static readonly JsonEncodedText Fail = JsonEncodedText.Encode("fail");
    public static readonly JsonEncodedText Degraded = JsonEncodedText.Encode("degraded");
    public static readonly JsonEncodedText Ready = JsonEncodedText.Encode("ready");
    public static readonly JsonEncodedText NotReady = JsonEncodedText.Encode("not ready");
    public static readonly JsonEncodedText ShuttingDown = JsonEncodedText.Encode("shutting down");
    public static readonly JsonEncodedText Started = JsonEncodedText.Encode("started");
    public static readonly JsonEncodedText NotStarted = JsonEncodedText.Encode("not started");
    public static readonly JsonEncodedText Excluded = JsonEncodedText.Encode("excluded");
    public static readonly JsonEncodedText Checks = JsonEncodedText.Encode("checks");
    public static readonly JsonEncodedText ResponseTime = JsonEncodedText.Encode("response_time");
    public static readonly JsonEncodedText Cached = JsonEncodedText.Encode("cached");

    public static JsonEncodedText For(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => Ok,
        HealthStatus.Degraded => Degraded,
        _ => Fail,
    };

    public static JsonEncodedText For(CheckReport report) => report.Excluded ? Excluded : For(report.Result.Status);
}
