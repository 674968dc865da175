using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthGen.EndToEnd.Tests;

/// <summary>How the hardened application gets its host filtering.</summary>
public enum HostFilteringSetup
{
    /// <summary><c>WebApplication.CreateBuilder</c>: host filtering through the default builder's startup filter.</summary>
    DefaultBuilder,

    /// <summary><c>WebApplication.CreateSlimBuilder</c>: the same startup filter, the slim set of services.</summary>
    SlimBuilder,

    /// <summary><c>WebApplication.CreateEmptyBuilder</c> with <c>AddHostFiltering</c> and <c>app.UseHostFiltering()</c> by hand, after routing.</summary>
    ByHand,
}

/// <summary>
/// A production-hardened application on a real Kestrel, as the issue found it: <c>AllowedHosts</c> = its public
/// name, its own bearer authentication on the <c>Bearer</c> scheme, a fallback policy that requires an
/// authenticated user on every endpoint that says nothing else, and <c>MapHealthGen()</c>. Its own endpoint
/// <c>/orders</c> shows that the hardening still holds for everything that is not a probe.
/// </summary>
internal sealed class HardenedApp : IAsyncDisposable
{
    public const string PublicName = "shop.example.com";

    /// <summary>What the kubelet sends: the pod's IP and the probed port.</summary>
    public const string PodHost = "10.1.2.3:8080";

    public const string DetailsToken = "healthgen-details-7f3a9c";

    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private HardenedApp(WebApplication app, Uri address, HttpMessageHandler handler)
    {
        _app = app;
        Address = address;
        _client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    /// <summary>What HealthGen's exec probe sends as Host when it calls its own process.</summary>
    public string LoopbackHost => $"127.0.0.1:{Port}";

    public IServiceProvider Services => _app.Services;

    public static async Task<HardenedApp> StartAsync(
        HostFilteringSetup setup = HostFilteringSetup.DefaultBuilder,
        Action<HealthGenOptions>? configure = null,
        Action<IEndpointConventionBuilder>? probes = null,
        Action<IServiceCollection>? services = null,
        X509Certificate2? httpsCertificate = null,
        IPAddress? alsoListenOn = null,
        string prefix = "/healthz",
        Func<WebApplication, IEndpointRouteBuilder>? mapInto = null)
    {
        WebApplicationBuilder builder = setup switch
        {
            HostFilteringSetup.DefaultBuilder => WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production }),
            HostFilteringSetup.SlimBuilder => WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production }),
            _ => WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production }),
        };

        if (setup == HostFilteringSetup.ByHand)
        {
            builder.WebHost.UseKestrelCore();
            builder.Services.AddRoutingCore();
            builder.Services.AddHostFiltering(o =>
            {
                o.AllowedHosts.Clear();
                o.AllowedHosts.Add(PublicName);
            });
        }
        else
        {
            // What an operator sets in appsettings.json or as the AllowedHosts environment variable.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AllowedHosts"] = PublicName });
        }

        if (httpsCertificate is null)
        {
            builder.WebHost.UseUrls(alsoListenOn is null ? ["http://127.0.0.1:0"] : ["http://127.0.0.1:0", $"http://{alsoListenOn}:0"]);
        }
        else
        {
            // HTTPS only: no HTTP listener at all, a certificate for the public name (not for 127.0.0.1).
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(httpsCertificate));
                if (alsoListenOn is not null)
                {
                    kestrel.Listen(alsoListenOn, 0, listen => listen.UseHttps(httpsCertificate));
                }
            });
        }

        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new Scenario());
        builder.Services.AddAuthentication("Bearer").AddBearerToken("Bearer");
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddHealthGen(o =>
        {
            o.DefaultTimeoutMs = 10_000; // these tests are about hosting, not timeouts
            o.DetailsToken = DetailsToken;
            configure?.Invoke(o);
        });
        services?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        if (setup == HostFilteringSetup.ByHand)
        {
            // By hand, after the routing WebApplication puts first: the endpoint is already chosen here.
            app.UseHostFiltering();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders", (RequestDelegate)(context => context.Response.WriteAsync("[]")));
        app.MapPost("/login", (RequestDelegate)(context => context.SignInAsync(
            "Bearer", new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "password"))))).AllowAnonymous();
        IEndpointConventionBuilder group = (mapInto?.Invoke(app) ?? app).MapHealthGen(prefix);
        probes?.Invoke(group);

        await app.StartAsync();
        string first = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .First(a => a.Contains("127.0.0.1", StringComparison.Ordinal));
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            // The test client trusts the test's own certificate; the exec probe under test does not get this.
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        return new HardenedApp(app, new Uri(first), handler);
    }

    /// <summary>Every address the server listens on (the port 0 of each listener resolved).</summary>
    public IReadOnlyList<Uri> Addresses
        => _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(a => new Uri(a)).ToArray();

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string host, string? bearer = null)
        => await SendAsync(HttpMethod.Get, path, host, bearer);

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string host, string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using HttpResponseMessage response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Signs in with the application's own bearer scheme: the token its Bearer handler accepts.</summary>
    public async Task<string> SignInAsync()
    {
        (HttpStatusCode status, string body) = await SendAsync(HttpMethod.Post, "/login", PublicName);
        Assert.Equal(HttpStatusCode.OK, status);
        using JsonDocument json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
