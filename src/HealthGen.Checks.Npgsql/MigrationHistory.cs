using System;

namespace HealthGen.Checks.Npgsql;

/// <summary>
/// Where the database records applied migrations: a table and the column holding migration ids. EF Core's
/// <c>__EFMigrationsHistory</c>/<c>MigrationId</c> is the default; other tools (FluentMigrator, DbUp,
/// Flyway-style tables) name theirs differently.
/// </summary>
public sealed record MigrationHistory
{
    /// <summary>Describes a history table.</summary>
    /// <param name="table">The table name, as created (case matters: it is quoted).</param>
    /// <param name="column">The column holding migration ids.</param>
    /// <param name="schema">The schema, or <see langword="null"/> for the connection's search path.</param>
    public MigrationHistory(string table, string column, string? schema = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        if (schema is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        }

        Table = table;
        Column = column;
        Schema = schema;
    }

    /// <summary>EF Core's default: <c>"__EFMigrationsHistory"."MigrationId"</c>.</summary>
    public static MigrationHistory EntityFrameworkCore { get; } = new("__EFMigrationsHistory", "MigrationId");

    /// <summary>The table name.</summary>
    public string Table { get; }

    /// <summary>The column holding migration ids.</summary>
    public string Column { get; }

    /// <summary>The schema, or <see langword="null"/> for the search path.</summary>
    public string? Schema { get; }

    internal string DisplayName => Schema is null ? Quote(Table) : $"{Quote(Schema)}.{Quote(Table)}";

    internal string SelectAppliedSql() => $"SELECT {Quote(Column)}::text FROM {DisplayName}";

    /// <summary>
    /// Quotes a PostgreSQL identifier. Written by hand because Npgsql's quoting lives on NpgsqlCommandBuilder,
    /// a DbCommandBuilder built for DataAdapter scenarios; the rule itself is one line: wrap in double quotes
    /// and double any embedded double quote.
    /// </summary>
    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
