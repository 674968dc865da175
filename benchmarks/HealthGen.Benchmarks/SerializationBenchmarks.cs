using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using HealthGen.Execution;
using HealthGen.Generated;
using HealthGen.Serialization;

namespace HealthGen.Benchmarks;

/// <summary>
/// Writing a probe body alone, into a reused buffer: HealthGen's generated serializer context (pre-encoded
/// names and words) against System.Text.Json's source generator on the equivalent types a MapHealthChecks
/// writer would use. Both produce the same bytes (checked in setup).
/// </summary>
[MemoryDiagnoser]
public class ResponseSerialization
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private Utf8JsonWriter _writer = null!;
    private ProbeResponse _liveness;
    private ProbeResponse _readiness;
    private readonly AnchorStatus _anchorLiveness = new("OK");
    private readonly Dictionary<string, string> _anchorReadiness = new()
    {
        ["status"] = "ready",
        ["cache"] = "OK",
        ["database"] = "OK",
        ["queue"] = "OK",
    };

    [GlobalSetup]
    public void Setup()
    {
        _writer = new Utf8JsonWriter(_buffer);
        CheckResult ok = new(HealthResult.Healthy(), CheckFailure.None, TimeSpan.FromMilliseconds(1));
        CheckReport[] process = [new(Registration("process", ProbeKind.Liveness), ok)];
        CheckReport[] readiness = [new(Registration("cache", ProbeKind.Readiness), ok), new(Registration("database", ProbeKind.Readiness), ok), new(Registration("queue", ProbeKind.Readiness), ok)];
        _liveness = new ProbeResponse(ProbeWords.Ok, process, ResponseLayout.NotHealthyChecks);
        _readiness = new ProbeResponse(ProbeWords.Ready, readiness, ResponseLayout.AllChecks);

        Expect(HealthGenLiveness, Variants.LivenessBody);
        Expect(StjLiveness, Variants.LivenessBody);
        Expect(HealthGenReadiness, Variants.ReadinessBody);
        Expect(StjReadiness, Variants.ReadinessBody);
    }

    [Benchmark(Baseline = true, Description = "liveness: STJ source-gen")]
    [BenchmarkCategory("liveness")]
    public int StjLiveness()
    {
        Reset();
        JsonSerializer.Serialize(_writer, _anchorLiveness, AnchorJsonContext.Default.AnchorStatus);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "liveness: HealthGen")]
    [BenchmarkCategory("liveness")]
    public int HealthGenLiveness()
    {
        Reset();
        JsonSerializer.Serialize(_writer, _liveness, HealthGenJsonContext.Default.ProbeResponse);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "readiness, 3 checks: STJ source-gen")]
    [BenchmarkCategory("readiness")]
    public int StjReadiness()
    {
        Reset();
        JsonSerializer.Serialize(_writer, _anchorReadiness, AnchorJsonContext.Default.DictionaryStringString);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "readiness, 3 checks: HealthGen")]
    [BenchmarkCategory("readiness")]
    public int HealthGenReadiness()
    {
        Reset();
        JsonSerializer.Serialize(_writer, _readiness, HealthGenJsonContext.Default.ProbeResponse);
        return _buffer.WrittenCount;
    }

    private void Reset()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    private void Expect(Func<int> write, byte[] expected)
    {
        write();
        if (!_buffer.WrittenSpan.SequenceEqual(expected))
        {
            throw new InvalidOperationException($"Wrote '{System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan)}', expected '{System.Text.Encoding.UTF8.GetString(expected)}'.");
        }
    }

    private static HealthCheckRegistration Registration(string name, ProbeKind probe)
        => new(name, probe, null, HealthCheckRegistration.UseDefault, HealthCheckRegistration.UseDefault, static (_, _) => new(HealthResult.Healthy()));
}
