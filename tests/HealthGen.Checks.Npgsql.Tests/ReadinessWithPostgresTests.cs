using System;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Testing;
using HealthGen.Testing.Servers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HealthGen.Checks.Npgsql.Tests;

/// <summary>The readiness probe of an application whose database stops and comes back, over real HTTP.</summary>
public sealed class ReadinessWithPostgresTests
{
    [Fact]
    public async Task Readiness_turns_503_when_PostgreSQL_stops_and_200_when_it_is_back_and_livez_never_notices()
    {
        await using PostgresServer server = await PostgresServer.StartAsync();
        string connectionString = server.ConnectionString();
        await using LoopbackWebHost host = await LoopbackWebHost.StartAsync(
            services =>
            {
                // No result cache: this test is about detecting the stop on the next probe, not about the cache window.
                services.AddHealthGen(o => o.ReadinessCacheMs = 0);
                services.AddNpgsqlDataSourceForTests(connectionString);
            },
            app => app.MapHealthGen());

        Assert.Equal((200, """{"status":"ready","database":"OK"}"""), await host.GetAsync("/healthz/readyz"));

        await server.StopAsync();
        (int status, string body) = await host.GetAsync("/healthz/readyz");
        Assert.Equal((503, """{"status":"not ready","database":"fail"}"""), (status, body));
        Assert.Equal((200, """{"status":"OK"}"""), await host.GetAsync("/healthz/livez"));
        foreach (string secret in new[] { PostgresServer.SuperuserPassword, "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "Npgsql", "refused" })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        }

        await server.StartAgainAsync();
        // Connections pooled before the restart are dead; the first probe may still see one of them, after
        // which Npgsql discards it. Bounded retries, not a timing assertion.
        (int, string) answer = default;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            answer = await host.GetAsync("/healthz/readyz");
            if (answer.Item1 == 200)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal((200, """{"status":"ready","database":"OK"}"""), answer);
    }
}

/// <summary>The application's readiness check, as a service would write it.</summary>
public static class DatabaseChecks
{
    [ReadinessCheck("database", TimeoutMs = 3000)]
    public static Task<HealthResult> Database(NpgsqlDataSource db, CancellationToken cancellationToken)
        => PostgresHealth.PingAsync(db, cancellationToken);
}

internal static class TestServiceCollectionExtensions
{
    public static IServiceCollection AddNpgsqlDataSourceForTests(this IServiceCollection services, string connectionString)
        => services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
}
