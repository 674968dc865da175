using System.Text.Json;
using HealthGen.Execution;

namespace HealthGen.Serialization;

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
    public static readonly JsonEncodedText Unchecked = JsonEncodedText.Encode("unchecked");
    public static readonly JsonEncodedText Warnings = JsonEncodedText.Encode("warnings");
    public static readonly JsonEncodedText ConsecutiveFailures = JsonEncodedText.Encode("consecutive_failures");
    public static readonly JsonEncodedText Last = JsonEncodedText.Encode("last");

    public static JsonEncodedText For(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => Ok,
        HealthStatus.Degraded => Degraded,
        _ => Fail,
    };

    /// <summary>A check's word in a body: excluded, unchecked (not run), or its reported status.</summary>
    public static JsonEncodedText For(CheckReport report)
        => report.Excluded ? Excluded : report.Result.IsUnchecked ? Unchecked : For(report.Result.Status);
}
