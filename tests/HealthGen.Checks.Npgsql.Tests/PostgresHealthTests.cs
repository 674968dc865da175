using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace HealthGen.Checks.Npgsql.Tests;

public sealed class PostgresHealthTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_reachable_database_answers_the_ping()
    {
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(postgres.AppConnectionString());
        HealthResult result = await PostgresHealth.PingAsync(source, CancellationToken.None);
        Assert.Equal((HealthStatus.Healthy, "SELECT 1 answered"), (result.Status, result.Description));
    }

    [Fact]
    public async Task A_wrong_password_is_reported_as_authentication_failed_without_the_password()
    {
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(postgres.AppConnectionString(password: "wrong-Pass-00"));
        HealthResult result = await PostgresHealth.PingAsync(source, CancellationToken.None);
        Assert.Equal((HealthStatus.Unhealthy, "authentication failed"), (result.Status, result.Description));
        Assert.IsType<PostgresException>(result.Exception);
        Assert.DoesNotContain("wrong-Pass-00", result.Exception!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_database_is_named_as_such()
    {
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(postgres.Server.ConnectionString(database: "no_such_db"));
        HealthResult result = await PostgresHealth.PingAsync(source, CancellationToken.None);
        Assert.Equal("database does not exist", result.Description);
    }

    [Fact]
    public async Task A_port_where_nothing_listens_is_connection_refused()
    {
        int port = HealthGen.Testing.Servers.ServerProcess.FreeLoopbackPort();
        await using NpgsqlDataSource source = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={port};Username=app;Password=x;Timeout=5");
        HealthResult result = await PostgresHealth.PingAsync(source, CancellationToken.None);
        Assert.Equal((HealthStatus.Unhealthy, "connection refused"), (result.Status, result.Description));
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_is_a_timeout_when_the_check_is_cancelled()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts TCP connections in the kernel backlog, never speaks the protocol
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using NpgsqlDataSource source = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={port};Username=app;Password=x;Timeout=30");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        HealthResult result = await PostgresHealth.PingAsync(source, timeout.Token);

        Assert.Equal((HealthStatus.Unhealthy, "timeout"), (result.Status, result.Description));
    }

    [Fact]
    public async Task Pending_migrations_are_counted_and_listed()
    {
        await postgres.Server.ExecuteAsync("""
            DROP TABLE IF EXISTS "__EFMigrationsHistory";
            CREATE TABLE "__EFMigrationsHistory" ("MigrationId" varchar(150) PRIMARY KEY, "ProductVersion" varchar(32) NOT NULL);
            INSERT INTO "__EFMigrationsHistory" VALUES ('20260101_Initial', '10.0.0'), ('20260201_Users', '10.0.0');
            ALTER TABLE "__EFMigrationsHistory" OWNER TO app;
            """, database: "app");
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(postgres.AppConnectionString());

        HealthResult pending = await PostgresHealth.NoPendingMigrationsAsync(source, ["20260101_Initial", "20260201_Users", "20260301_Audit"], CancellationToken.None);
        HealthResult applied = await PostgresHealth.NoPendingMigrationsAsync(source, ["20260101_Initial", "20260201_Users"], CancellationToken.None);

        Assert.Equal((HealthStatus.Unhealthy, "1 pending migration: 20260301_Audit"), (pending.Status, pending.Description));
        Assert.Equal((HealthStatus.Healthy, "2 migrations applied"), (applied.Status, applied.Description));
    }

    [Fact]
    public async Task A_missing_history_table_means_every_migration_is_pending()
    {
        await postgres.Server.ExecuteAsync("CREATE SCHEMA IF NOT EXISTS empty AUTHORIZATION app", database: "app");
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(postgres.AppConnectionString());

        HealthResult result = await PostgresHealth.NoPendingMigrationsAsync(source, ["a", "b"], new MigrationHistory("__EFMigrationsHistory", "MigrationId", "empty"), CancellationToken.None);

        Assert.Equal((HealthStatus.Unhealthy, "2 pending migrations: the history table \"empty\".\"__EFMigrationsHistory\" does not exist"), (result.Status, result.Description));
    }

    [Fact]
    public async Task The_history_table_and_column_are_configurable_and_quoted()
    {
        await postgres.Server.ExecuteAsync(""""
            CREATE SCHEMA IF NOT EXISTS ops AUTHORIZATION app;
            DROP TABLE IF EXISTS ops."schema version";
            CREATE TABLE ops."schema version" ("Script ""Id""" text);
            INSERT INTO ops."schema version" VALUES ('001.sql'), ('002.sql');
            ALTER TABLE ops."schema version" OWNER TO app;
            """", database: "app");
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(postgres.AppConnectionString());
        var history = new MigrationHistory("schema version", "Script \"Id\"", "ops");

        HealthResult result = await PostgresHealth.NoPendingMigrationsAsync(source, ["001.sql", "002.sql"], history, CancellationToken.None);

        Assert.Equal((HealthStatus.Healthy, "2 migrations applied"), (result.Status, result.Description));
    }
}
