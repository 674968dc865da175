using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using static HealthGen.Testing.Eventually;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// Traces: one line in OpenTelemetry's ASP.NET Core instrumentation leaves probe requests out
/// (<c>Filter = context =&gt; !HealthGenRequests.IsProbe(context)</c>); the application's requests and details stay in.
/// </summary>
public sealed class ProbeTracesTests
{
    /// <summary>A prefix no other test uses: OpenTelemetry listens to the activities of every host in this process.</summary>
    private const string Prefix = "/traced-probes";

    [Fact]
    public async Task The_IsProbe_filter_leaves_probe_requests_out_of_the_traces()
    {
        var activities = new ExportedItems<Activity>();
        await using HardenedApp app = await HardenedApp.StartAsync(
            prefix: Prefix,
            services: s => s.AddOpenTelemetry().WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !HealthGenRequests.IsProbe(context))
                .AddInMemoryExporter(activities)));

        foreach (string path in new[] { "", "/", "/livez", "/READYZ", "/startupz/", "/resolversz", "/livez/heartbeat", "/resolversz/ldapresolver/ldapresolver1" })
        {
            await app.GetAsync(Prefix + path, HardenedApp.PodHost);
        }

        await app.GetAsync(Prefix + "/details", HardenedApp.PublicName, HardenedApp.DetailsToken);
        await app.GetAsync(Prefix + "/livez/heartbeat/extra", HardenedApp.PublicName); // not a probe route
        await app.GetAsync("/orders", HardenedApp.PublicName);

        string[] paths = [];
        await WaitUntil(() => (paths = TracedPaths(activities)).Contains("/orders"));
        Assert.Equal([Prefix + "/details", Prefix + "/livez/heartbeat/extra"], paths.Where(p => p.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    private static string[] TracedPaths(ExportedItems<Activity> activities)
        => activities.Snapshot().Select(a => a.GetTagItem("url.path") as string ?? "").ToArray();
}
