using System.Threading;
using System.Threading.Tasks;
using HealthGen.Checks.Ldap;
using HealthGen.Checks.Npgsql;
using HealthGen.Checks.Pkcs11;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HealthGen.Reliability;

/// <summary>The application under test: one check per dependency; each scenario switches on what it needs.</summary>
public static class ReliabilityChecks
{
    public static readonly string[] AllPaths =
        ["livez/process", "readyz/database", "readyz/silent", "readyz/hsm", "readyz/hung", "resolversz/ldapresolver/ldap1"];

    [LivenessCheck]
    public static HealthResult Process() => HealthResult.Healthy();

    [ReadinessCheck("database", TimeoutMs = 1000)]
    public static Task<HealthResult> Database(NpgsqlDataSource db, CancellationToken cancellationToken) => PostgresHealth.PingAsync(db, cancellationToken);

    /// <summary>A dependency that accepts TCP and never answers.</summary>
    [ReadinessCheck("silent", TimeoutMs = 500)]
    public static Task<HealthResult> Silent([FromKeyedServices("silent")] NpgsqlDataSource db, CancellationToken cancellationToken) => PostgresHealth.PingAsync(db, cancellationToken);

    [ReadinessCheck("hsm", TimeoutMs = 1000)]
    public static Task<HealthResult> Hsm(Pkcs11Token token, CancellationToken cancellationToken) => token.ProbeAsync(cancellationToken);

    /// <summary>Blocks its thread and ignores its token while the switch is closed, like a stuck native call.</summary>
    [ReadinessCheck("hung", TimeoutMs = 300)]
    public static bool Hung(HangSwitch hang) => hang.Pass();

    [ResolverCheck("ldap1", Kind = "ldapresolver", TimeoutMs = 1000)]
    public static Task<HealthResult> Ldap(LdapResolvers ldap, CancellationToken cancellationToken) => ldap.CheckAsync("ldap1", cancellationToken);
}

/// <summary>Holds threads in the hung check until released; counts how many are inside.</summary>
public sealed class HangSwitch
{
    private readonly ManualResetEventSlim _open = new(false);
    private int _inside;
    private int _entered;

    public int Inside => Volatile.Read(ref _inside);

    public int Entered => Volatile.Read(ref _entered);

    public bool Pass()
    {
        Interlocked.Increment(ref _entered);
        Interlocked.Increment(ref _inside);
        try
        {
            _open.Wait();
            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    public void Release() => _open.Set();
}
