using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using HealthGen.Execution;
using HealthGen.Probes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthGen.Telemetry;

/// <summary>
/// Metrics and logs of check executions. It observes finished executions, not requests, so a cached
/// answer costs nothing here, and a failure is logged once when it starts and once when it ends —
/// not on every probe in between.
/// </summary>
/// <remarks>
/// Meter <c>HealthGen</c>: <c>healthgen.check.duration</c> (histogram, seconds; tags <c>check</c>,
/// <c>probe</c>, <c>status</c>) and <c>healthgen.check.status</c> (gauge: 2 healthy, 1 degraded,
/// 0 unhealthy; tags <c>check</c>, <c>probe</c>).
/// </remarks>
internal sealed partial class HealthGenTelemetry : IDisposable
{
    public const string MeterName = "HealthGen";

    private readonly Meter _meter;
    private readonly Histogram<double> _duration;
    private readonly List<CheckSlot> _slots = [];
    private readonly ILogger _logger;
    private readonly TimeSpan _slowThreshold;

    public HealthGenTelemetry(IMeterFactory meters, ILoggerFactory loggers, IOptions<HealthGenOptions> options)
    {
        _meter = meters.Create(MeterName);
        _duration = _meter.CreateHistogram<double>("healthgen.check.duration", unit: "s", description: "Time one execution of a health check took.");
        _meter.CreateObservableGauge("healthgen.check.status", ObserveStatus, unit: "{status}",
            description: "The latest status of each health check: 2 healthy, 1 degraded, 0 unhealthy.");
        _logger = loggers.CreateLogger("HealthGen.Checks");
        _slowThreshold = TimeSpan.FromMilliseconds(options.Value.SlowCheckThresholdMs);
    }

    public void Observe(HealthProbes probes)
    {
        foreach (CheckSlot slot in probes.AllSlots)
        {
            slot.Completed += OnCompleted;
            lock (_slots)
            {
                _slots.Add(slot);
            }
        }
    }

    public void Dispose() => _meter.Dispose();

    private void OnCompleted(CheckSlot slot, in CheckResult result, HealthStatus? previous)
    {
        string path = slot.Path;
        if (_duration.Enabled) // no listener, no work: this runs on every liveness request
        {
            _duration.Record(result.Duration.TotalSeconds,
                new KeyValuePair<string, object?>("check", slot.Check.Name),
                new KeyValuePair<string, object?>("probe", ProbeName(slot.Check.Probe)),
                new KeyValuePair<string, object?>("status", StatusName(result.Status)));
        }

        bool failedBefore = previous == HealthStatus.Unhealthy;
        if (!result.Passed && !failedBefore)
        {
            LogCheckFailed(_logger, path, result.Failure.ToString(), result.Result.Description, result.Result.Exception);
        }
        else if (result.Passed && failedBefore)
        {
            LogCheckRecovered(_logger, path, StatusName(result.Status));
        }

        if (_slowThreshold > TimeSpan.Zero && result.Duration > _slowThreshold)
        {
            LogCheckSlow(_logger, path, (long)result.Duration.TotalMilliseconds, (long)_slowThreshold.TotalMilliseconds);
        }
    }

    private IEnumerable<Measurement<int>> ObserveStatus()
    {
        CheckSlot[] slots;
        lock (_slots)
        {
            slots = [.. _slots];
        }

        foreach (CheckSlot slot in slots)
        {
            if (slot.Latest is not { } result)
            {
                continue; // not run yet: no status to report
            }

            yield return new Measurement<int>((int)result.Status,
                new KeyValuePair<string, object?>("check", slot.Check.Name),
                new KeyValuePair<string, object?>("probe", ProbeName(slot.Check.Probe)));
        }
    }

    internal static string ProbeName(ProbeKind probe) => probe switch
    {
        ProbeKind.Liveness => "livez",
        ProbeKind.Readiness => "readyz",
        ProbeKind.Startup => "startupz",
        _ => "resolversz",
    };

    private static string StatusName(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    [LoggerMessage(EventId = 1, EventName = "CheckFailed", Level = LogLevel.Warning, Message = "Health check {Check} failed ({Failure}): {Description}")]
    private static partial void LogCheckFailed(ILogger logger, string check, string failure, string? description, Exception? exception);

    [LoggerMessage(EventId = 2, EventName = "CheckRecovered", Level = LogLevel.Information, Message = "Health check {Check} recovered: {Status}")]
    private static partial void LogCheckRecovered(ILogger logger, string check, string status);

    [LoggerMessage(EventId = 3, EventName = "CheckSlow", Level = LogLevel.Warning, Message = "Health check {Check} took {DurationMs} ms (slow-check threshold {ThresholdMs} ms)")]
    private static partial void LogCheckSlow(ILogger logger, string check, long durationMs, long thresholdMs);
}
