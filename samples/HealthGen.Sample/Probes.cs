using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Checks.Ldap;
using HealthGen.Checks.Npgsql;
using HealthGen.Checks.Pkcs11;
using HealthGen.Checks.Sql;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HealthGen.Sample;

/// <summary>
/// The sample's checks. Those of external dependencies are compiled in and switched off by
/// <c>HealthGenOptions.DisabledChecks</c> when the dependency is not configured (see Program.cs).
/// </summary>
public static class Probes
{
    public const string SqlResolver = "sqlresolver1";
    public const string LdapResolver = "ldapresolver1";

    /// <summary>
    /// Liveness looks at the process only: a liveness failure restarts the pod, so it must never depend on
    /// anything a restart cannot fix. Here: the thread pool still keeps up with its work.
    /// </summary>
    [LivenessCheck]
    public static HealthResult Process()
        => ThreadPool.PendingWorkItemCount < 10_000 ? HealthResult.Healthy() : HealthResult.Unhealthy("thread pool backlog");

    /// <summary>Startup: the warm-up (cache priming, say) has finished. Latched once it passed.</summary>
    [StartupCheck("warmup")]
    public static bool WarmedUp(Warmup warmup) => warmup.IsComplete;

    /// <summary>Readiness: the work queue is not so far behind that new requests should go elsewhere.</summary>
    [ReadinessCheck("queue", TimeoutMs = 500)]
    public static HealthResult Queue(WorkQueue queue) => queue.Backlog switch
    {
        < 100 => HealthResult.Healthy(),
        < 1000 => HealthResult.Degraded($"backlog {queue.Backlog}"),
        _ => HealthResult.Unhealthy($"backlog {queue.Backlog}"),
    };

    /// <summary>Readiness: PostgreSQL answers (ConnectionStrings__Postgres).</summary>
    [ReadinessCheck("database")]
    public static Task<HealthResult> Database(NpgsqlDataSource db, CancellationToken cancellationToken)
        => PostgresHealth.PingAsync(db, cancellationToken);

    /// <summary>Readiness: the HSM token is present, initialized and (with a PIN) logs in (Hsm__Module, Hsm__TokenLabel, Hsm__Pin).</summary>
    [ReadinessCheck("hsm")]
    public static Task<HealthResult> Hsm(Pkcs11Token token, CancellationToken cancellationToken) => token.ProbeAsync(cancellationToken);

    /// <summary>An LDAP resolver: the directory binds and answers (Ldap__Resolvers__ldapresolver1__Url, __BindDn, __Password).</summary>
    [ResolverCheck(LdapResolver, Kind = "ldapresolver")]
    public static Task<HealthResult> Directory(LdapResolvers ldap, CancellationToken cancellationToken) => ldap.CheckAsync(LdapResolver, cancellationToken);

    /// <summary>A SQL resolver: the user store (SQLite by default) answers a query.</summary>
    [ResolverCheck(SqlResolver, Kind = "sqlresolver")]
    public static Task<HealthResult> Users([FromKeyedServices(SqlResolver)] DbDataSource users, CancellationToken cancellationToken)
        => SqlHealth.PingAsync(users, cancellationToken);
}

/// <summary>Pretends to warm caches at start-up; the startup probe waits for it.</summary>
public sealed class Warmup(Microsoft.Extensions.Configuration.IConfiguration configuration) : Microsoft.Extensions.Hosting.BackgroundService
{
    private volatile bool _complete;

    public bool IsComplete => _complete;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int warmupMs = int.TryParse(configuration["Sample:WarmupMs"], out int value) ? value : 500;
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, warmupMs)), stoppingToken);
        _complete = true;
    }
}

/// <summary>A stand-in for the service's work backlog.</summary>
public sealed class WorkQueue
{
    public int Backlog => 0;
}
