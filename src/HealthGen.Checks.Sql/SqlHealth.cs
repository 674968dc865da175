using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Checks.Sql;

/// <summary>
/// A ping for any ADO.NET provider — SQL Server, MySQL, Oracle, SQLite, PostgreSQL — for SQL resolvers
/// (user stores) and readiness. It opens a connection the way the application does and runs a query,
/// so "can the service use this database right now" is what it answers.
/// </summary>
/// <remarks>
/// Failures are told apart by stage, which works the same for every provider: "cannot open a connection"
/// (server down, wrong credentials, unreadable file) versus "query failed" (the connection works, the query
/// does not), plus "timeout". Descriptions never contain the connection string.
/// </remarks>
[ExternalDependency]
public static class SqlHealth
{
    /// <summary>The query of a ping: answered by SQL Server, PostgreSQL, MySQL and SQLite (Oracle needs <c>SELECT 1 FROM DUAL</c>).</summary>
    public const string DefaultQuery = "SELECT 1";

    /// <summary>Opens a connection from <paramref name="dataSource"/> (pooled when the provider pools) and runs <c>SELECT 1</c>.</summary>
    public static Task<HealthResult> PingAsync(DbDataSource dataSource, CancellationToken cancellationToken)
        => PingAsync(dataSource, DefaultQuery, cancellationToken);

    /// <summary>Opens a connection from <paramref name="dataSource"/> and runs <paramref name="query"/>.</summary>
    public static async Task<HealthResult> PingAsync(DbDataSource dataSource, string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        DbConnection connection;
        try
        {
            connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsExpected(exception))
        {
            return Failed("cannot open a connection", exception, cancellationToken);
        }

        await using (connection.ConfigureAwait(false))
        {
            return await QueryAsync(connection, query, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens a connection with <paramref name="factory"/> and <paramref name="connectionString"/>, and runs <c>SELECT 1</c>.</summary>
    public static Task<HealthResult> PingAsync(DbProviderFactory factory, string connectionString, CancellationToken cancellationToken)
        => PingAsync(factory, connectionString, DefaultQuery, cancellationToken);

    /// <summary>Opens a connection with <paramref name="factory"/> and <paramref name="connectionString"/>, and runs <paramref name="query"/>.</summary>
    public static async Task<HealthResult> PingAsync(DbProviderFactory factory, string connectionString, string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        DbConnection connection = factory.CreateConnection()
            ?? throw new ArgumentException($"{factory.GetType().Name} cannot create connections.", nameof(factory));
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                connection.ConnectionString = connectionString;
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsExpected(exception) || exception is ArgumentException)
            {
                return Failed("cannot open a connection", exception, cancellationToken);
            }

            return await QueryAsync(connection, query, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<HealthResult> QueryAsync(DbConnection connection, string query, CancellationToken cancellationToken)
    {
        try
        {
            DbCommand command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = query;
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return HealthResult.Healthy("connection opened and query answered");
            }
        }
        catch (Exception exception) when (IsExpected(exception))
        {
            return Failed("query failed", exception, cancellationToken);
        }
    }

    private static bool IsExpected(Exception exception)
        => exception is DbException or InvalidOperationException or OperationCanceledException or TimeoutException or System.IO.IOException or System.Net.Sockets.SocketException;

    private static HealthResult Failed(string stage, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            return HealthResult.Unhealthy("timeout", exception);
        }

        string? state = (exception as DbException)?.SqlState;
        return HealthResult.Unhealthy(state is null ? stage : $"{stage} (SQLSTATE {state})", exception);
    }
}
