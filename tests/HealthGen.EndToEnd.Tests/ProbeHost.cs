using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthGen.EndToEnd.Tests;

/// <summary>A real Kestrel server on a free loopback port serving the generated probes.</summary>
public sealed class ProbeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProbeHost(WebApplication app, Scenario scenario, Uri address)
    {
        _app = app;
        Scenario = scenario;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Scenario Scenario { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Stops the application (what SIGTERM does); the returned task ends when the host has stopped.</summary>
    public Task StopApplicationAsync() => _app.StopAsync();

    public static async Task<ProbeHost> StartAsync(
        Action<Scenario>? arrange = null, int defaultTimeoutMs = 5000, string? prefix = null, Action<HealthGenOptions>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        var scenario = new Scenario();
        arrange?.Invoke(scenario);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(scenario);
        services?.Invoke(builder.Services);
        builder.Services.AddHealthGen(options =>
        {
            options.DefaultTimeoutMs = defaultTimeoutMs;
            configure?.Invoke(options);
        });

        WebApplication app = builder.Build();
        if (prefix is null)
        {
            app.MapHealthGen();
        }
        else
        {
            app.MapHealthGen(prefix);
        }

        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ProbeHost(app, scenario, new Uri(address));
    }

    public async Task<ProbeReply> GetAsync(string path) => await SendAsync(HttpMethod.Get, path);

    public async Task<ProbeReply> SendAsync(HttpMethod method, string path, string? authorization = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using HttpResponseMessage response = await Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        return new ProbeReply(response.StatusCode, body, response.Content.Headers.ContentType?.ToString(),
            response.Headers.CacheControl?.ToString(), string.Join(", ", response.Content.Headers.Allow),
            string.Join("\n", response.Headers.Concat(response.Content.Headers).Where(h => h.Key != "Date").Select(h => $"{h.Key}: {string.Join(",", h.Value)}").Order()));
    }

    public async ValueTask DisposeAsync()
    {
        Scenario.Dispose(); // release hung checks first, so nothing stays blocked
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ProbeReply(HttpStatusCode Status, string Body, string? ContentType, string? CacheControl, string Allow, string Headers = "");
