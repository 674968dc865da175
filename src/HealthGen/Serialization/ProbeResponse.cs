using System.Text.Json;
using HealthGen.Execution;

namespace HealthGen.Serialization;

/// <summary>
/// The JSON body of a probe answer, e.g. <c>{"status":"ready","database":"OK"}</c>. Serialized by
/// <see cref="ProbeResponseJsonConverter"/> through the generated <c>HealthGenJsonContext</c>.
/// </summary>
/// <remarks>
/// It carries only fixed status words, compile-time check names and (verbose) durations; error text, exception
/// types and descriptions never reach it, which is what keeps the unauthenticated probe endpoints from leaking them.
/// </remarks>
public readonly struct ProbeResponse
{
    internal ProbeResponse(JsonEncodedText status, CheckReport[]? checks = null, ResponseLayout layout = ResponseLayout.StatusOnly, bool verbose = false, string[]? warnings = null)
    {
        StatusText = status;
        Reports = checks ?? [];
        Layout = layout;
        Verbose = verbose;
        Warnings = warnings;
    }

    /// <summary>The overall status word, e.g. "OK", "ready", "not ready", "started".</summary>
    public string Status => StatusText.Value ?? string.Empty;

    internal JsonEncodedText StatusText { get; }

    internal CheckReport[] Reports { get; }

    internal ResponseLayout Layout { get; }

    /// <summary>Whether a <c>"checks"</c> object with per-check status, response time and caching follows.</summary>
    internal bool Verbose { get; }

    /// <summary>A verbose answer's <c>"warnings"</c>: <c>?exclude</c> names that match no check.</summary>
    internal string[]? Warnings { get; }

    internal ProbeResponse WithWarnings(string[]? warnings) => new(StatusText, Reports, Layout, Verbose, warnings);
}
