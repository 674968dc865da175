using System;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using HealthGen.Execution;

namespace HealthGen.Serialization;

/// <summary>
/// Writes a <see cref="ProbeResponse"/> with <see cref="Utf8JsonWriter"/> directly: property names are the
/// checks' names, encoded once when their generated registrations were created, and values are fixed
/// pre-encoded words, so writing a body encodes nothing and reflects over nothing.
/// </summary>
/// <remarks>Used by the generated <c>HealthGenJsonContext</c>; probe bodies are written, never read.</remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class ProbeResponseJsonConverter : JsonConverter<ProbeResponse>
{
    /// <inheritdoc/>
    public override ProbeResponse Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => throw new NotSupportedException("HealthGen probe responses are written, not read.");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, ProbeResponse value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(ProbeWords.Status, value.StatusText);

        switch (value.Layout)
        {
            case ResponseLayout.NotHealthyChecks:
                foreach (CheckReport report in value.Reports)
                {
                    if (report.Excluded || report.Result.Status != HealthStatus.Healthy)
                    {
                        writer.WriteString(report.Check.EncodedName, ProbeWords.For(report));
                    }
                }

                break;

            case ResponseLayout.AllChecks:
                foreach (CheckReport report in value.Reports)
                {
                    writer.WriteString(report.Check.EncodedName, ProbeWords.For(report));
                }

                break;

            case ResponseLayout.GroupedByKind:
                WriteGroupedByKind(writer, value.Reports, static (w, report) => w.WriteString(report.Check.EncodedName, ProbeWords.For(report)));
                break;
        }

        if (value.Verbose)
        {
            writer.WritePropertyName(ProbeWords.Checks);
            writer.WriteStartObject();
            if (value.Layout == ResponseLayout.GroupedByKind)
            {
                WriteGroupedByKind(writer, value.Reports, WriteCheckDetail);
            }
            else
            {
                foreach (CheckReport report in value.Reports)
                {
                    WriteCheckDetail(writer, report);
                }
            }

            writer.WriteEndObject();
        }

        if (value.Warnings is { } warnings)
        {
            writer.WriteStartArray(ProbeWords.Warnings);
            foreach (string warning in warnings)
            {
                writer.WriteStringValue(warning);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>"name":{"status":"OK","response_time":0.0123,"cached":false}</c>; an excluded check has its status only. A
    /// check in a failure streak adds <c>"consecutive_failures"</c>, and, while its threshold tolerates the failure (its
    /// status is still the last passing one), the raw result as <c>"last"</c>.
    /// </summary>
    internal static void WriteCheckDetail(Utf8JsonWriter writer, CheckReport report)
    {
        writer.WriteStartObject(report.Check.EncodedName);
        WriteCheckFields(writer, report);
        writer.WriteEndObject();
    }

    /// <summary>The fields of <see cref="WriteCheckDetail"/>, shared with the details body (which always shows the streak).</summary>
    internal static void WriteCheckFields(Utf8JsonWriter writer, CheckReport report, bool alwaysStreak = false)
    {
        writer.WriteString(ProbeWords.Status, ProbeWords.For(report));
        if (report.Excluded)
        {
            return;
        }

        CheckResult result = report.Result;
        writer.WriteNumber(ProbeWords.ResponseTime, Math.Round(result.Duration.TotalSeconds, 6));
        writer.WriteBoolean(ProbeWords.Cached, result.Cached);
        if (result.ConsecutiveFailures > 0 || alwaysStreak)
        {
            writer.WriteNumber(ProbeWords.ConsecutiveFailures, result.ConsecutiveFailures);
        }

        if (result.Tolerated is not null)
        {
            writer.WriteString(ProbeWords.Last, ProbeWords.For(result.Result.Status));
        }
    }

    /// <summary>Writes one object per resolver kind; the checks come sorted by kind.</summary>
    internal static void WriteGroupedByKind(Utf8JsonWriter writer, ReadOnlySpan<CheckReport> reports, Action<Utf8JsonWriter, CheckReport> writeCheck)
    {
        string? openKind = null;
        foreach (CheckReport report in reports)
        {
            if (!string.Equals(openKind, report.Check.Kind, StringComparison.Ordinal))
            {
                if (openKind is not null)
                {
                    writer.WriteEndObject();
                }

                writer.WriteStartObject(report.Check.EncodedKind);
                openKind = report.Check.Kind;
            }

            writeCheck(writer, report);
        }

        if (openKind is not null)
        {
            writer.WriteEndObject();
        }
    }
}
