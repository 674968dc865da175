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
                foreach (CheckReport report in value.Checks)
                {
                    if (report.Result.Status != HealthStatus.Healthy)
                    {
                        writer.WriteString(report.Check.EncodedName, ProbeWords.For(report.Result.Status));
                    }
                }

                break;

            case ResponseLayout.AllChecks:
                foreach (CheckReport report in value.Checks)
                {
                    writer.WriteString(report.Check.EncodedName, ProbeWords.For(report.Result.Status));
                }

                break;

            case ResponseLayout.GroupedByKind:
                WriteGroupedByKind(writer, value.Checks);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteGroupedByKind(Utf8JsonWriter writer, CheckReport[] reports)
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

            writer.WriteString(report.Check.EncodedName, ProbeWords.For(report.Result.Status));
        }

        if (openKind is not null)
        {
            writer.WriteEndObject();
        }
    }
}
