using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using static HealthGen.Testing.Eventually;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// ASP.NET Core's own request metrics, exported by OpenTelemetry as a service would: probe traffic stays out of
/// <c>http.server.request.duration</c> (so the kubelet is not the service's request rate, and readyz's 503s during a
/// dependency outage are not its 5xx rate), while the application's routes are in it.
/// </summary>
public sealed class HttpMetricsTests
{
    /// <summary>A prefix no other test uses: OpenTelemetry listens to the meters of every host in this process.</summary>
    private const string Prefix = "/metrics-probes";

    [Fact]
    public async Task Probe_requests_are_absent_from_http_server_request_duration_while_the_applications_routes_are_present()
    {
        var exported = new ExportedItems<MetricSnapshot>();
        await using HardenedApp app = await HardenedApp.StartAsync(
            prefix: Prefix,
            services: s => s.AddOpenTelemetry().WithMetrics(m => m.AddMeter("Microsoft.AspNetCore.Hosting").AddInMemoryExporter(exported)));

        foreach (string host in new[] { HardenedApp.PodHost, app.LoopbackHost, HardenedApp.PublicName })
        {
            foreach (string probe in new[] { "", "/livez", "/readyz", "/startupz", "/resolversz", "/readyz/database" })
            {
                await app.GetAsync(Prefix + probe, host);
            }
        }

        string token = await app.SignInAsync();
        for (int i = 0; i < 3; i++)
        {
            await app.GetAsync("/orders", HardenedApp.PublicName, token);
        }

        // A request is recorded when it has ended, after its response: wait for the last one (requests on one
        // connection end in order, so every probe before it has ended too).
        Dictionary<string, long> routes = [];
        await WaitUntil(() => (routes = RequestDurationCountsByRoute(app, exported)).GetValueOrDefault("/orders") >= 3);

        Assert.DoesNotContain(routes.Keys, route => route.StartsWith(Prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecordHttpMetrics_keeps_probe_requests_counted()
    {
        const string prefix = "/metrics-counted-probes";
        var exported = new ExportedItems<MetricSnapshot>();
        await using HardenedApp app = await HardenedApp.StartAsync(
            prefix: prefix,
            configure: o => o.RecordHttpMetrics = true,
            services: s => s.AddOpenTelemetry().WithMetrics(m => m.AddMeter("Microsoft.AspNetCore.Hosting").AddInMemoryExporter(exported)));

        await app.GetAsync(prefix + "/livez", HardenedApp.PodHost);
        await app.GetAsync(prefix + "/livez", HardenedApp.PublicName);
        await app.GetAsync(prefix + "/readyz/database", HardenedApp.PublicName);

        Dictionary<string, long> routes = [];
        await WaitUntil(() => (routes = RequestDurationCountsByRoute(app, exported)).GetValueOrDefault(prefix + "/readyz/{check}") >= 1);
        Assert.Equal(2, routes.GetValueOrDefault(prefix + "/livez"));
    }

    /// <summary><c>http.server.request.duration</c> as exported now: the number of requests per <c>http.route</c>.</summary>
    /// <remarks>Cumulative: every export carries the counts since the start; the latest one is read.</remarks>
    internal static Dictionary<string, long> RequestDurationCountsByRoute(HardenedApp app, ExportedItems<MetricSnapshot> exported)
    {
        exported.Reset();
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var counts = new Dictionary<string, long>();
        MetricSnapshot? latest = exported.Snapshot().LastOrDefault(m => m.Name == "http.server.request.duration");
        foreach (MetricPoint point in latest?.MetricPoints ?? [])
        {
            string route = "(none)";
            foreach (KeyValuePair<string, object?> tag in point.Tags)
            {
                if (tag.Key == "http.route")
                {
                    route = tag.Value as string ?? "(none)";
                }
            }

            counts[route] = counts.GetValueOrDefault(route) + point.GetHistogramCount();
        }

        return counts;
    }
}
