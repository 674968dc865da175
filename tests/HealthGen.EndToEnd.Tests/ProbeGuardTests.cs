using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// Guarding the probes is an explicit choice that still works in a hardened application: authorization or a host
/// on the returned group, and today's management-port set-up (docs/kubernetes.md, "Hardened applications and probes").
/// </summary>
public sealed class ProbeGuardTests
{
    [Fact]
    public async Task RequireAuthorization_on_the_group_puts_the_probes_behind_the_applications_authentication()
    {
        await using HardenedApp app = await HardenedApp.StartAsync(probes: group => group.RequireAuthorization());

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/healthz/livez", HardenedApp.PublicName)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.GetAsync("/healthz/livez", HardenedApp.PodHost)).Status);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/healthz/livez", HardenedApp.PublicName, await app.SignInAsync())).Status);
    }

    [Fact]
    public async Task OpenProbes_false_makes_the_probes_ordinary_endpoints_of_the_application()
    {
        await using HardenedApp app = await HardenedApp.StartAsync(configure: o => o.OpenProbes = false);

        Assert.Equal(HttpStatusCode.BadRequest, (await app.GetAsync("/healthz/livez", HardenedApp.PodHost)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.GetAsync("/healthz/livez", app.LoopbackHost)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/healthz/livez", HardenedApp.PublicName)).Status);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/healthz/livez", HardenedApp.PublicName, await app.SignInAsync())).Status);
        // Details keep their own token as their guard.
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/healthz/details", HardenedApp.PublicName, HardenedApp.DetailsToken)).Status);
    }

    [Fact]
    public async Task RequireHost_on_the_group_answers_only_that_host()
    {
        await using HardenedApp app = await HardenedApp.StartAsync(probes: group => group.RequireHost(HardenedApp.PublicName));

        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync("/healthz/livez", HardenedApp.PublicName)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.GetAsync("/healthz/livez", HardenedApp.PodHost)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.GetAsync("/healthz/livez", app.LoopbackHost)).Status);
    }

    [Fact]
    public async Task Probes_inside_an_outer_group_follow_that_group()
    {
        await using HardenedApp guarded = await HardenedApp.StartAsync(mapInto: app => app.MapGroup("/ops").RequireAuthorization());
        Assert.Equal(HttpStatusCode.Unauthorized, (await guarded.GetAsync("/ops/healthz/livez", HardenedApp.PublicName)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await guarded.GetAsync("/ops/healthz/livez", HardenedApp.PodHost)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await guarded.GetAsync("/healthz/livez", HardenedApp.PodHost)).Status); // no such path
        Assert.Equal(HttpStatusCode.OK, (await guarded.GetAsync("/ops/healthz/livez", HardenedApp.PublicName, await guarded.SignInAsync())).Status);

        // Unguarded, they need no credentials; the front door does not know the outer prefix, so the application's
        // host filtering applies to them (docs/kubernetes.md: map them on the application with the full prefix instead).
        await using HardenedApp nested = await HardenedApp.StartAsync(mapInto: app => app.MapGroup("/ops"));
        Assert.Equal(HttpStatusCode.OK, (await nested.GetAsync("/ops/healthz/livez", HardenedApp.PublicName)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await nested.GetAsync("/ops/healthz/livez", HardenedApp.PodHost)).Status);
        await using HardenedApp full = await HardenedApp.StartAsync(prefix: "/ops/healthz");
        Assert.Equal(HttpStatusCode.OK, (await full.GetAsync("/ops/healthz/livez", HardenedApp.PodHost)).Status);
    }

    [Fact]
    public async Task The_management_port_answers_the_kubelet_in_a_hardened_application_and_the_public_port_does_not()
    {
        int publicPort = HealthGen.Testing.Servers.ServerProcess.FreeLoopbackPort();
        int managementPort = HealthGen.Testing.Servers.ServerProcess.FreeLoopbackPort();
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection([new("AllowedHosts", HardenedApp.PublicName)]);
        builder.WebHost.UseUrls($"http://127.0.0.1:{publicPort}", $"http://127.0.0.1:{managementPort}");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new Scenario());
        builder.Services.AddAuthentication("Bearer").AddBearerToken("Bearer");
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddHealthGen();
        await using WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders", (RequestDelegate)(context => context.Response.WriteAsync("[]")));
        app.MapHealthGen().RequireHost($"*:{managementPort}");
        await app.StartAsync();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, managementPort, $"10.1.2.3:{managementPort}"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, managementPort, $"127.0.0.1:{managementPort}"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, publicPort, $"10.1.2.3:{publicPort}"));
        // On the public port the probes do not exist: an unknown path, which this application's fallback policy answers.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, publicPort, HardenedApp.PublicName));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, publicPort, HardenedApp.PublicName, "/orders"));
        await app.StopAsync();
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, int port, string host, string path = "/healthz/livez")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        request.Headers.Host = host;
        using HttpResponseMessage response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
