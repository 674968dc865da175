using System;
using System.Data.Common;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HealthGen.Checks.Sql.Tests;

/// <summary>The SQL ping against SQLite files: the sample's embedded default resolver store.</summary>
public sealed class SqlHealthTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("healthgen-sql-").FullName;

    [Fact]
    public async Task A_readable_SQLite_file_passes_through_a_data_source_and_through_a_factory()
    {
        string file = Path.Combine(_directory, "users.db");
        await using DbDataSource source = SqliteFactory.Instance.CreateDataSource($"Data Source={file}");

        HealthResult viaSource = await SqlHealth.PingAsync(source, CancellationToken.None);
        HealthResult viaFactory = await SqlHealth.PingAsync(SqliteFactory.Instance, $"Data Source={file}", CancellationToken.None);

        Assert.Equal((HealthStatus.Healthy, "connection opened and query answered"), (viaSource.Status, viaSource.Description));
        Assert.Equal(HealthStatus.Healthy, viaFactory.Status);
    }

    [Fact]
    public async Task An_unreadable_path_fails_at_opening_without_showing_the_connection_string()
    {
        string missing = Path.Combine(_directory, "no-such-directory", "users.db");
        string connectionString = $"Data Source={missing};Mode=ReadOnly";
        await using DbDataSource source = SqliteFactory.Instance.CreateDataSource(connectionString);

        HealthResult result = await SqlHealth.PingAsync(source, CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("cannot open a connection", result.Description);
        Assert.IsType<SqliteException>(result.Exception);
        Assert.DoesNotContain(missing, result.Description!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_that_fails_is_told_apart_from_a_connection_that_fails()
    {
        await using DbDataSource source = SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(_directory, "q.db")}");
        HealthResult result = await SqlHealth.PingAsync(source, "SELECT * FROM no_such_table", CancellationToken.None);
        Assert.Equal((HealthStatus.Unhealthy, "query failed"), (result.Status, result.Description));
    }

    [Fact]
    public async Task A_cancelled_ping_reports_timeout()
    {
        await using DbDataSource source = SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(_directory, "c.db")}");
        HealthResult result = await SqlHealth.PingAsync(source, new CancellationToken(canceled: true));
        Assert.Equal((HealthStatus.Unhealthy, "timeout"), (result.Status, result.Description));
    }

    [Fact]
    public async Task Resolversz_reports_the_sql_resolver_group_and_fails_without_leaking_the_path()
    {
        string good = Path.Combine(_directory, "good.db");
        string bad = Path.Combine(_directory, "absent", "bad.db");
        await using LoopbackWebHost host = await LoopbackWebHost.StartAsync(
            services =>
            {
                // About the body, not about timeouts: the first SQLite open of a cold process (the native library
                // loading) must not pass the 800 ms default on a loaded machine.
                services.AddHealthGen(o => o.DefaultTimeoutMs = 10_000);
                services.AddKeyedSingleton<DbDataSource>("sqlresolver1", SqliteFactory.Instance.CreateDataSource($"Data Source={good}"));
                services.AddKeyedSingleton<DbDataSource>("sqlresolver2", SqliteFactory.Instance.CreateDataSource($"Data Source={bad};Mode=ReadOnly"));
            },
            app => app.MapHealthGen());

        (int status, string body) = await host.GetAsync("/healthz/resolversz");

        Assert.Equal(503, status);
        Assert.Equal("""{"status":"not ready","sqlresolver":{"sqlresolver1":"OK","sqlresolver2":"fail"}}""", body);
        Assert.DoesNotContain("absent", body, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

/// <summary>The resolvers as an application declares them: one check per configured user store.</summary>
public static class SqlResolverChecks
{
    [ResolverCheck("sqlresolver1", Kind = "sqlresolver")]
    public static Task<HealthResult> First([Microsoft.Extensions.DependencyInjection.FromKeyedServices("sqlresolver1")] DbDataSource users, CancellationToken cancellationToken)
        => SqlHealth.PingAsync(users, cancellationToken);

    [ResolverCheck("sqlresolver2", Kind = "sqlresolver")]
    public static Task<HealthResult> Second([Microsoft.Extensions.DependencyInjection.FromKeyedServices("sqlresolver2")] DbDataSource users, CancellationToken cancellationToken)
        => SqlHealth.PingAsync(users, cancellationToken);
}
