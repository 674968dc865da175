using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;
using HealthGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static HealthGen.Testing.Eventually;

namespace HealthGen.EndToEnd.Tests;

public sealed class DrainTests
{
    [Fact]
    public async Task Readiness_answers_shutting_down_as_soon_as_the_application_stops_while_liveness_stays_200()
    {
        await using ProbeHost host = await ProbeHost.StartAsync();
        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"status":"shutting down"}"""), Reply(await host.GetAsync("/healthz/readyz")));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"status":"shutting down"}"""), Reply(await host.GetAsync("/healthz")));
        Assert.Equal((HttpStatusCode.OK, """{"status":"OK"}"""), Reply(await host.GetAsync("/healthz/livez")));
    }

    [Fact]
    public async Task The_drain_delay_keeps_serving_after_stop_until_it_has_passed()
    {
        var clock = new TimerCountingTimeProvider();
        await using ProbeHost host = await ProbeHost.StartAsync(configure: o => o.DrainDelayMs = 30_000, services: s => s.AddSingleton<TimeProvider>(clock));

        int armedBefore = clock.ArmedTimers;
        Task stopping = host.StopApplicationAsync();
        await WaitUntil(() => clock.ArmedTimers > armedBefore); // the drain delay is waiting on the clock

        Assert.False(stopping.IsCompleted);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"status":"shutting down"}"""), Reply(await host.GetAsync("/healthz/readyz")));
        Assert.Equal((HttpStatusCode.OK, """{"status":"OK"}"""), Reply(await host.GetAsync("/healthz/livez")));

        clock.Advance(TimeSpan.FromSeconds(30));
        await stopping.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static (HttpStatusCode, string) Reply(ProbeReply reply) => (reply.Status, reply.Body);
}

public sealed class TelemetryTests
{
    [Fact]
    public async Task Durations_and_statuses_are_recorded_on_the_HealthGen_meter()
    {
        var durations = new ConcurrentBag<(double Seconds, Dictionary<string, object?> Tags)>();
        var statuses = new ConcurrentBag<(int Value, Dictionary<string, object?> Tags)>();
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["cache"] = Behavior.ReturnFalse);

        // Only this host's meter: tests run in parallel, and other hosts' "HealthGen" meters report their own checks.
        object meterScope = host.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "HealthGen" && ReferenceEquals(instrument.Meter.Scope, meterScope))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "healthgen.check.duration")
            {
                durations.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "healthgen.check.status")
            {
                statuses.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        listener.Start();

        await host.GetAsync("/healthz/readyz");
        listener.RecordObservableInstruments();

        var database = durations.Where(d => Equals(d.Tags["check"], "database")).ToArray();
        Assert.NotEmpty(database);
        Assert.All(database, d => Assert.Equal(("readyz", "healthy"), ((string?)d.Tags["probe"], (string?)d.Tags["status"])));
        Assert.Contains(durations, d => Equals(d.Tags["check"], "cache") && Equals(d.Tags["status"], "unhealthy"));
        Assert.Contains(statuses, s => Equals(s.Tags["check"], "cache") && s.Value == 0);
        Assert.Contains(statuses, s => Equals(s.Tags["check"], "database") && s.Value == 2);
    }

    [Fact]
    public async Task A_failure_and_its_recovery_are_logged_once_each_across_many_requests()
    {
        var logs = new CollectingLoggerProvider();
        await using ProbeHost host = await ProbeHost.StartAsync(
            s => s["heartbeat"] = Behavior.Unhealthy,
            services: s => s.AddLogging(b => b.AddProvider(logs)));

        for (int i = 0; i < 25; i++)
        {
            await host.GetAsync("/healthz/livez"); // liveness is not cached: 25 executions
        }

        host.Scenario["heartbeat"] = Behavior.Healthy;
        for (int i = 0; i < 25; i++)
        {
            await host.GetAsync("/healthz/livez");
        }

        Assert.Equal(1, logs.Count("CheckFailed", "livez/heartbeat"));
        Assert.Equal(1, logs.Count("CheckRecovered", "livez/heartbeat"));
        Assert.Equal(50, host.Scenario.Invocations("heartbeat"));
    }

    [Fact]
    public async Task A_check_slower_than_the_threshold_logs_a_warning_per_execution()
    {
        var logs = new CollectingLoggerProvider();
        await using ProbeHost host = await ProbeHost.StartAsync(
            s => s["database"] = Behavior.Slow, // 200 ms
            configure: o => { o.SlowCheckThresholdMs = 50; o.ReadinessCacheMs = 600_000; },
            services: s => s.AddLogging(b => b.AddProvider(logs)));

        for (int i = 0; i < 5; i++)
        {
            await host.GetAsync("/healthz/readyz"); // one execution, then cached
        }

        Assert.Equal(1, logs.Count("CheckSlow", "readyz/database"));
        Assert.Equal(0, logs.Count("CheckSlow", "readyz/cache"));
    }

    private sealed class CollectingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<(string EventName, string Message)> _entries = new();

        public int Count(string eventName, string containing) => _entries.Count(e => e.EventName == eventName && e.Message.Contains(containing, StringComparison.Ordinal));

        public ILogger CreateLogger(string categoryName) => new Collector(this);

        public void Dispose()
        {
        }

        private sealed class Collector(CollectingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => owner._entries.Enqueue((eventId.Name ?? "", formatter(state, exception)));
        }
    }
}
