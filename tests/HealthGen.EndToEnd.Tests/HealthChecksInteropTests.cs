using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;
using HealthGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsHealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace HealthGen.EndToEnd.Tests;

/// <summary>HealthGen and Microsoft.Extensions.Diagnostics.HealthChecks, both ways.</summary>
public sealed class HealthChecksInteropTests
{
    [Fact]
    public async Task Generated_checks_are_IHealthChecks_that_MapHealthChecks_and_HealthCheckService_see()
    {
        var scenario = new Scenario { ["database"] = Behavior.Unhealthy };
        await using LoopbackWebHost host = await LoopbackWebHost.StartAsync(
            services =>
            {
                services.AddSingleton(scenario);
                services.AddHealthGen();
                services.AddHealthChecks().AddHealthGenChecks();
            },
            app => app.MapHealthChecks("/health"));

        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);

        Assert.Equal(MsHealthStatus.Unhealthy, report.Entries["readyz/database"].Status);
        Assert.Equal(MsHealthStatus.Healthy, report.Entries["livez/heartbeat"].Status);
        Assert.Equal(MsHealthStatus.Healthy, report.Entries["resolversz/ldapresolver/ldapresolver1"].Status);
        Assert.Contains("ready", report.Entries["readyz/database"].Tags);
        Assert.Contains("healthgen", report.Entries["readyz/database"].Tags);
        Assert.Equal((503, "Unhealthy"), await host.GetAsync("/health"));
    }

    [Fact]
    public async Task Existing_checks_join_by_Aspire_s_convention_live_to_liveness_every_other_to_readiness_and_ours_are_not_imported_twice()
    {
        await using LoopbackWebHost host = await LoopbackWebHost.StartAsync(
            services =>
            {
                services.AddSingleton(new Scenario());
                services.AddHealthGen();
                services.AddHealthChecks()
                    .AddHealthGenChecks()
                    .AddCheck("Legacy Queue", () => HealthCheckResult.Unhealthy("queue gone"), tags: ["ready"])
                    .AddCheck("gc-pressure", () => HealthCheckResult.Degraded("gen2 busy"), tags: ["live"])
                    .AddCheck("untagged", () => HealthCheckResult.Unhealthy("an integration's own check"));
            },
            app => app.MapHealthGen());

        Assert.Equal((503, """{"status":"not ready","cache":"OK","database":"OK","legacy_queue":"fail","library_store":"OK","untagged":"fail"}"""), await host.GetAsync("/healthz/readyz"));
        Assert.Equal((200, """{"status":"OK","gc-pressure":"degraded"}"""), await host.GetAsync("/healthz/livez"));
    }
}
