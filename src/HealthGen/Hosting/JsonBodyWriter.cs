using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace HealthGen.Hosting;

/// <summary>
/// Writes a JSON body with a <c>Content-Length</c>, through one <see cref="Utf8JsonWriter"/> and buffer per thread.
/// </summary>
/// <remarks>
/// <c>HttpResponse.WriteAsJsonAsync</c> rents a writer and a pipe-backed stream per call and writes chunked; a probe
/// body is a few dozen bytes known in full before the first one is sent, so it is serialized synchronously into a
/// reused buffer and handed to the response's <see cref="PipeWriter"/> in one write, which copies it. Nothing of
/// this allocates per request once a thread has served one.
/// </remarks>
internal static class JsonBodyWriter
{
    /// <summary>Buffers that grew past this (a details body of many checks) are not kept.</summary>
    private const int MaxRetainedBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static Task WriteAsync<T>(HttpResponse response, T body, JsonTypeInfo<T> type)
    {
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, body, type);

        Task write = WriteAsync(response, buffer.WrittenMemory, response.HttpContext.RequestAborted); // copies the bytes into the response
        if (buffer.Capacity > MaxRetainedBytes)
        {
            t_buffer = null;
            t_writer = null;
        }

        return write;
    }

    /// <summary>Writes bytes known in full as the body, with their <c>Content-Length</c>, in one write.</summary>
    public static Task WriteAsync(HttpResponse response, ReadOnlyMemory<byte> body, CancellationToken requestAborted)
    {
        response.ContentLength = body.Length;
        ValueTask<FlushResult> write = response.BodyWriter.WriteAsync(body, requestAborted);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }
}
