using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;
using HealthGen.Testing;
using HealthGen.Testing.Servers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static HealthGen.Testing.Eventually;
using MsHealthCheckRegistration = Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration;
using MsHealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// A service built the .NET Aspire way: <c>builder.AddNpgsqlDataSource("db")</c> (Aspire.Npgsql) registers a health
/// check named <c>PostgreSql</c> with no tags, against a real PostgreSQL. Under Aspire's convention, which HealthGen
/// follows by default, that check is a readiness check.
/// </summary>
public sealed class AspireIntegrationTests : IAsyncLifetime
{
    private const string ReadyBody = """{"status":"ready","cache":"OK","database":"OK","library_store":"OK","postgresql":"OK"}""";

    /// <summary>The query Aspire's PostgreSQL health check sends (AspNetCore.HealthChecks.NpgSql's "SELECT 1;"), as pg_stat_statements writes it.</summary>
    private const string PingQuery = "SELECT $1";

    private PostgresServer _postgres = null!;

    public async Task InitializeAsync() => _postgres = await PostgresServer.StartAsync(countStatements: true);

    public async Task DisposeAsync() => await _postgres.DisposeAsync();

    [Fact]
    public async Task Readiness_fails_while_the_database_Aspire_registered_is_down_and_recovers_while_liveness_stays_200()
    {
        await using AspireApp app = await AspireApp.StartAsync(_postgres);

        Assert.Equal((200, ReadyBody), await app.GetAsync("/healthz/readyz"));

        await _postgres.StopAsync();
        await WaitUntilAsync(app, "/healthz/readyz", (503, """{"status":"not ready","cache":"OK","database":"OK","library_store":"OK","postgresql":"fail"}"""));
        Assert.Equal((200, """{"status":"OK"}"""), await app.GetAsync("/healthz/livez"));

        await _postgres.StartAgainAsync();
        await WaitUntilAsync(app, "/healthz/readyz", (200, ReadyBody));
    }

    [Fact]
    public async Task A_storm_of_concurrent_readiness_probes_costs_the_database_one_query_per_cache_window()
    {
        // One cache window spans the whole storm: every request after the first is answered from the cache or joins
        // the one execution in flight.
        await using AspireApp app = await AspireApp.StartAsync(_postgres, options => options.ReadinessCacheMs = 600_000);
        await _postgres.ExecuteAsync("SELECT pg_stat_statements_reset()");

        (int, string)[] answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => Task.Run(() => app.GetAsync("/healthz/readyz"))));

        Assert.All(answers, answer => Assert.Equal((200, ReadyBody), answer));
        Assert.Equal(1, await _postgres.StatementCallsAsync(PingQuery));
    }

    [Fact]
    public async Task A_registration_tagged_live_joins_liveness_and_stays_out_of_readiness()
    {
        await using AspireApp app = await AspireApp.StartAsync(_postgres, configureChecks: checks =>
            checks.AddCheck("thread-pool", () => HealthCheckResult.Degraded("queue long"), tags: ["live"]));

        Assert.Equal((200, """{"status":"OK","thread-pool":"degraded"}"""), await app.GetAsync("/healthz/livez"));
        Assert.Equal((200, ReadyBody), await app.GetAsync("/healthz/readyz"));
    }

    [Fact]
    public async Task The_tags_only_rule_and_ignored_names_leave_the_untagged_check_out()
    {
        await using AspireApp taggedOnly = await AspireApp.StartAsync(_postgres, options => options.HealthCheckImport = HealthCheckImport.TaggedOnly);
        await using AspireApp ignoring = await AspireApp.StartAsync(_postgres, options => options.IgnoredHealthChecks.Add("PostgreSql"));

        const string withoutPostgres = """{"status":"ready","cache":"OK","database":"OK","library_store":"OK"}""";
        Assert.Equal((200, withoutPostgres), await taggedOnly.GetAsync("/healthz/readyz"));
        Assert.Equal((200, withoutPostgres), await ignoring.GetAsync("/healthz/readyz"));
    }

    [Fact]
    public async Task An_ignored_name_that_matches_no_registration_stops_start_up_with_the_registrations()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            AspireApp.StartAsync(_postgres, options => options.IgnoredHealthChecks.Add("Postgres")));

        Assert.Contains("IgnoredHealthChecks names no IHealthCheck registration: Postgres", failure.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSql", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_taken_by_a_HealthGen_check_stops_start_up_naming_both()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            AspireApp.StartAsync(_postgres, configureChecks: checks => checks.AddCheck("Database", () => HealthCheckResult.Healthy())));

        Assert.Contains("Readiness check 'database'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("the IHealthCheck registration 'Database'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("HealthGen.EndToEnd.Tests", failure.Message, StringComparison.Ordinal); // the generated check's assembly
    }

    [Fact]
    public async Task A_registration_s_timeout_and_degraded_failure_status_are_honoured()
    {
        using var release = new SemaphoreSlim(0);
        await using AspireApp app = await AspireApp.StartAsync(_postgres, configureChecks: checks => checks
            .Add(new MsHealthCheckRegistration("search-index", _ => new ThrowingCheck(), MsHealthStatus.Degraded, tags: null))
            .Add(new MsHealthCheckRegistration("slow-cache", _ => new HangingCheck(release), MsHealthStatus.Degraded, tags: null, timeout: TimeSpan.FromMilliseconds(200))));

        Assert.Equal(
            (200, """{"status":"ready","cache":"OK","database":"OK","library_store":"OK","postgresql":"OK","search-index":"degraded","slow-cache":"degraded"}"""),
            await app.GetAsync("/healthz/readyz"));
        release.Release(100);
    }

    private static async Task WaitUntilAsync(AspireApp app, string path, (int, string) expected)
    {
        (int, string) last = default;
        await WaitUntil(() => (last = app.GetAsync(path).GetAwaiter().GetResult()) == expected);
        Assert.Equal(expected, last);
    }

    private sealed class ThrowingCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("index offline");
    }

    private sealed class HangingCheck(SemaphoreSlim release) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await release.WaitAsync(CancellationToken.None); // ignores its token
            return HealthCheckResult.Healthy();
        }
    }

    /// <summary>The service: WebApplication.CreateBuilder, Aspire's PostgreSQL client, HealthGen, on a real Kestrel.</summary>
    private sealed class AspireApp : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _client;

        private AspireApp(WebApplication app, Uri address)
        {
            _app = app;
            _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        }

        public static async Task<AspireApp> StartAsync(
            PostgresServer postgres, Action<HealthGenOptions>? configure = null, Action<IHealthChecksBuilder>? configureChecks = null)
        {
            WebApplicationBuilder builder = WebApplication.CreateBuilder();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration["ConnectionStrings:db"] = postgres.ConnectionString();
            builder.AddNpgsqlDataSource("db");
            builder.Services.AddSingleton(new Scenario());
            builder.Services.AddHealthGen(options =>
            {
                // About which probe answers what, not about timeouts: the first query of a cold process on a loaded
                // machine (a new Npgsql connection, its type loading) must not pass the 800 ms default. Seen once in a
                // full run: the first readyz answered 503, and the other checks are in memory.
                options.DefaultTimeoutMs = 10_000;
                configure?.Invoke(options);
            });
            configureChecks?.Invoke(builder.Services.AddHealthChecks());
            WebApplication app = builder.Build();
            try
            {
                app.MapHealthGen();
                await app.StartAsync();
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }

            string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new AspireApp(app, new Uri(address));
        }

        public async Task<(int Status, string Body)> GetAsync(string path)
        {
            using HttpResponseMessage response = await _client.GetAsync(path);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
