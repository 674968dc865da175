using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace HealthGen.Checks.Npgsql;

/// <summary>
/// PostgreSQL checks for readiness and startup. They use the application's own <see cref="NpgsqlDataSource"/>,
/// so a probe borrows a pooled connection like any request would — never a pool of its own — and sees the
/// database exactly as the application does (same credentials, TLS and pool limits).
/// </summary>
/// <remarks>
/// Expected failures come back as <see cref="HealthResult.Unhealthy"/> with a fixed description ("connection
/// refused", "authentication failed", "timeout", "3 pending migrations: …") that the details endpoint shows;
/// connection strings and passwords never appear in a description.
/// </remarks>
[ExternalDependency]
public static class PostgresHealth
{
    /// <summary>Runs <c>SELECT 1</c> on a connection from <paramref name="dataSource"/>'s pool.</summary>
    public static async Task<HealthResult> PingAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        try
        {
            await using NpgsqlCommand command = dataSource.CreateCommand("SELECT 1");
            object? answer = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return answer is 1 ? HealthResult.Healthy("SELECT 1 answered") : HealthResult.Unhealthy("unexpected answer to SELECT 1");
        }
        catch (Exception exception) when (PostgresFailure.IsExpected(exception))
        {
            return HealthResult.Unhealthy(PostgresFailure.Describe(exception, cancellationToken), exception);
        }
    }

    /// <summary>
    /// Passes when every migration the application ships is recorded in EF Core's <c>__EFMigrationsHistory</c>
    /// table. A missing history table counts as pending: the schema was never migrated.
    /// </summary>
    public static Task<HealthResult> NoPendingMigrationsAsync(NpgsqlDataSource dataSource, IEnumerable<string> shippedMigrations, CancellationToken cancellationToken)
        => NoPendingMigrationsAsync(dataSource, shippedMigrations, MigrationHistory.EntityFrameworkCore, cancellationToken);

    /// <summary>
    /// Passes when every migration the application ships is recorded in <paramref name="history"/>; fails
    /// listing how many are pending (and the first few ids) otherwise.
    /// </summary>
    public static async Task<HealthResult> NoPendingMigrationsAsync(
        NpgsqlDataSource dataSource, IEnumerable<string> shippedMigrations, MigrationHistory history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(shippedMigrations);
        ArgumentNullException.ThrowIfNull(history);
        string[] shipped = shippedMigrations.Distinct(StringComparer.Ordinal).ToArray();

        var applied = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using NpgsqlCommand command = dataSource.CreateCommand(history.SelectAppliedSql());
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!reader.IsDBNull(0))
                {
                    applied.Add(reader.GetString(0));
                }
            }
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return HealthResult.Unhealthy($"{shipped.Length} pending migrations: the history table {history.DisplayName} does not exist", exception);
        }
        catch (Exception exception) when (PostgresFailure.IsExpected(exception))
        {
            return HealthResult.Unhealthy(PostgresFailure.Describe(exception, cancellationToken), exception);
        }

        string[] pending = shipped.Where(id => !applied.Contains(id)).ToArray();
        if (pending.Length == 0)
        {
            return HealthResult.Healthy($"{shipped.Length} migrations applied");
        }

        const int shown = 5;
        string ids = string.Join(", ", pending.Take(shown)) + (pending.Length > shown ? ", …" : "");
        return HealthResult.Unhealthy($"{pending.Length} pending migration{(pending.Length == 1 ? "" : "s")}: {ids}");
    }
}
