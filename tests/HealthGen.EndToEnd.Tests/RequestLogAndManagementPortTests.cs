using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;
using HealthGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthGen.EndToEnd.Tests;

public sealed class RequestLogTests
{
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task Probe_requests_reach_the_HTTP_request_log_only_when_asked(bool logRequests, int expectedProbeEntries)
    {
        var entries = new ConcurrentQueue<string>();
        await using LoopbackWebHost host = await LoopbackWebHost.StartAsync(
            services =>
            {
                services.AddSingleton(new Scenario());
                services.AddHealthGen(o => o.LogRequests = logRequests);
                services.AddHttpLogging(o => o.LoggingFields = HttpLoggingFields.RequestPath);
                services.AddLogging(b => b.AddProvider(new QueueLoggerProvider(entries)).AddFilter("Microsoft.AspNetCore.HttpLogging", LogLevel.Information));
            },
            app =>
            {
                app.UseHttpLogging();
                app.MapGet("/orders", (RequestDelegate)(context => context.Response.WriteAsync("[]")));
                app.MapHealthGen();
            });

        await host.GetAsync("/orders");
        await host.GetAsync("/healthz/livez");

        Assert.Contains(entries, e => e.Contains("/orders", StringComparison.Ordinal)); // the log works at all
        Assert.Equal(expectedProbeEntries, entries.Count(e => e.Contains("/healthz/livez", StringComparison.Ordinal)));
    }

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(categoryName, entries);

        public void Dispose()
        {
        }

        private sealed class QueueLogger(string category, ConcurrentQueue<string> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (category.StartsWith("Microsoft.AspNetCore.HttpLogging", StringComparison.Ordinal))
                {
                    entries.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}

/// <summary>Probes on a management port only: <c>MapHealthGen().RequireHost("*:port")</c> with two Kestrel ports.</summary>
public sealed class ManagementPortTests
{
    [Fact]
    public async Task Probes_answer_on_the_management_port_and_404_on_the_public_one()
    {
        int publicPort = HealthGen.Testing.Servers.ServerProcess.FreeLoopbackPort();
        int managementPort = HealthGen.Testing.Servers.ServerProcess.FreeLoopbackPort();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{publicPort}", $"http://127.0.0.1:{managementPort}");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new Scenario());
        builder.Services.AddHealthGen();
        await using WebApplication app = builder.Build();
        app.MapGet("/orders", (RequestDelegate)(context => context.Response.WriteAsync("[]")));
        app.MapHealthGen().RequireHost($"*:{managementPort}");
        await app.StartAsync();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://127.0.0.1:{managementPort}/healthz/livez")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"http://127.0.0.1:{publicPort}/healthz/livez")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://127.0.0.1:{publicPort}/orders")).StatusCode);
        await app.StopAsync();
    }
}
