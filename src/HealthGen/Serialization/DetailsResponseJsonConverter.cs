using System;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using HealthGen.Execution;

namespace HealthGen.Serialization;

/// <summary>Writes a <see cref="DetailsResponse"/>; stack traces are never written, only exception types and messages.</summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class DetailsResponseJsonConverter : JsonConverter<DetailsResponse>
{
    private static readonly JsonEncodedText Livez = JsonEncodedText.Encode("livez");
    private static readonly JsonEncodedText Readyz = JsonEncodedText.Encode("readyz");
    private static readonly JsonEncodedText Startupz = JsonEncodedText.Encode("startupz");
    private static readonly JsonEncodedText Resolversz = JsonEncodedText.Encode("resolversz");
    private static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
    private static readonly JsonEncodedText Failure = JsonEncodedText.Encode("failure");
    private static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText ErrorType = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText History = JsonEncodedText.Encode("history");
    private static readonly JsonEncodedText At = JsonEncodedText.Encode("at");

    /// <inheritdoc/>
    public override DetailsResponse Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => throw new NotSupportedException("HealthGen details responses are written, not read.");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DetailsResponse value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(ProbeWords.Status, value.Words.Overall);
        WriteProbe(writer, Livez, value.Words.Liveness, value.Liveness, grouped: false);
        WriteProbe(writer, Readyz, value.Words.Readiness, value.Readiness, grouped: false);
        WriteProbe(writer, Startupz, value.Words.Startup, value.Startup, grouped: false);
        WriteProbe(writer, Resolversz, value.Words.Resolvers, value.Resolvers, grouped: true);
        writer.WriteEndObject();
    }

    private static void WriteProbe(Utf8JsonWriter writer, JsonEncodedText probe, JsonEncodedText status, CheckReport[] reports, bool grouped)
    {
        writer.WriteStartObject(probe);
        writer.WriteString(ProbeWords.Status, status);
        writer.WritePropertyName(ProbeWords.Checks);
        writer.WriteStartObject();
        if (grouped)
        {
            ProbeResponseJsonConverter.WriteGroupedByKind(writer, reports, WriteCheck);
        }
        else
        {
            foreach (CheckReport report in reports)
            {
                WriteCheck(writer, report);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteCheck(Utf8JsonWriter writer, CheckReport report)
    {
        writer.WriteStartObject(report.Check.EncodedName);
        ProbeResponseJsonConverter.WriteCheckFields(writer, report, alwaysStreak: true);
        if (!report.Excluded)
        {
            CheckResult result = report.Result;
            if (result.Failure != CheckFailure.None)
            {
                writer.WriteString(Failure, result.Failure switch
                {
                    CheckFailure.TimedOut => "timeout",
                    CheckFailure.Threw => "exception",
                    CheckFailure.Cancelled => "cancelled",
                    CheckFailure.NotRun => "not run",
                    CheckFailure.Stale => "stale",
                    _ => "unhealthy",
                });
            }

            if (result.Result.Description is { } description)
            {
                writer.WriteString(Description, description);
            }

            if (result.Result.Exception is { } exception)
            {
                writer.WriteStartObject(Error);
                writer.WriteString(ErrorType, exception.GetType().FullName);
                writer.WriteString(Message, exception.Message);
                writer.WriteEndObject();
            }

            if (report.History is { } history)
            {
                writer.WriteStartArray(History);
                foreach (CheckTransition transition in history)
                {
                    writer.WriteStartObject();
                    writer.WriteString(ProbeWords.Status, ProbeWords.For(transition.Status));
                    writer.WriteString(At, transition.At.UtcDateTime);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }
        }

        writer.WriteEndObject();
    }
}
