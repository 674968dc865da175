using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Checks.Npgsql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using MsHealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace HealthGen.Benchmarks;

/// <summary>
/// Storm mode: one real PostgreSQL readiness check, served two ways, so a probe storm can be counted on the
/// database side (benchmarks/storm.sh):
/// <list type="bullet">
/// <item><c>/hg/readyz</c>: HealthGen, the check <see cref="StormChecks.Postgres"/> (<see cref="PostgresHealth.PingAsync"/>)
/// under the default readiness cache (1 s) and single flight;</item>
/// <item><c>/mhc/readyz</c>: <c>MapHealthChecks</c> with <see cref="NpgsqlPingHealthCheck"/>, the same query on a pooled
/// connection of the same data source, and a source-generated JSON writer with HealthGen's bytes.</item>
/// </list>
/// Both answer <c>{"status":"ready","postgres":"OK"}</c> when the database answers.
/// </summary>
public static class Storm
{
    /// <summary>The check's name. Not "database": <see cref="BenchmarkChecks.Database"/> has that readiness name.</summary>
    public const string CheckName = "postgres";

    /// <summary>HealthGen's path of the check, for <see cref="HealthGenOptions.DisabledChecks"/>.</summary>
    public const string ReadinessPath = "readyz/" + CheckName;

    /// <summary>
    /// The MapHealthChecks registration's tag. Deliberately not "ready": HealthGen imports IHealthChecks tagged
    /// "ready" into its own readiness probe, which would run the query twice per window and clash on the name.
    /// </summary>
    private const string StormTag = "storm";

    private const string JsonContentType = "application/json; charset=utf-8";

    public static void AddServices(IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));

        // The generator serves every attributed method of the project, those of Shared/Variants.cs included:
        // switch all of them off, so readiness runs the PostgreSQL check alone. Readiness cache: the default.
        services.AddHealthGen(static options =>
        {
            options.HealthCheckImport = HealthCheckImport.TaggedOnly; // MapHealthChecks' own check stays out of HealthGen's probes
            options.DisabledChecks.Add("livez/process");
            foreach (string path in Variants.SyncReadiness)
            {
                options.DisabledChecks.Add(path);
            }

            foreach (string path in Variants.AsyncReadiness)
            {
                options.DisabledChecks.Add(path);
            }
        });

        services.AddHealthChecks().AddCheck<NpgsqlPingHealthCheck>(CheckName, tags: [StormTag]);
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthGen(Variants.HealthGenPrefix);
        endpoints.MapHealthChecks("/mhc/readyz", new HealthCheckOptions
        {
            Predicate = static registration => registration.Tags.Contains(StormTag),
            ResponseWriter = WriteReadinessJson,
        });
    }

    /// <summary>The writer of <c>/mhc-json/readyz</c> in <see cref="Variants"/>: HealthGen's readiness shape, source-generated.</summary>
    private static Task WriteReadinessJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = JsonContentType;
        var names = new List<string>(report.Entries.Keys);
        names.Sort(StringComparer.Ordinal);
        var body = new Dictionary<string, string>(names.Count + 1)
        {
            ["status"] = report.Status == MsHealthStatus.Unhealthy ? "not ready" : "ready",
        };
        foreach (string name in names)
        {
            body[name] = report.Entries[name].Status == MsHealthStatus.Healthy ? "OK" : "fail";
        }

        return JsonSerializer.SerializeAsync(context.Response.Body, body, AnchorJsonContext.Default.DictionaryStringString, context.RequestAborted);
    }
}

/// <summary>HealthGen's side of the storm: the built-in PostgreSQL check.</summary>
public static class StormChecks
{
    [ReadinessCheck(Storm.CheckName)]
    public static Task<HealthResult> Postgres(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
        => PostgresHealth.PingAsync(dataSource, cancellationToken);
}

/// <summary>
/// MapHealthChecks' side of the storm: what <see cref="PostgresHealth.PingAsync"/> does, as an <see cref="IHealthCheck"/>:
/// <c>SELECT 1</c> on a connection borrowed from the application's pooled <see cref="NpgsqlDataSource"/>.
/// </summary>
public sealed class NpgsqlPingHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            object? answer = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return answer is 1 ? HealthCheckResult.Healthy("SELECT 1 answered") : HealthCheckResult.Unhealthy("unexpected answer to SELECT 1");
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("SELECT 1 failed", exception);
        }
    }
}
