using System.Threading;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// The application's checks, one per probe and several return shapes, all driven by <see cref="Scenario"/>.
/// The generator turns these into the endpoints under test; nothing here is hand-wired.
/// </summary>
public static class ScenarioChecks
{
    [LivenessCheck("heartbeat")]
    public static HealthResult Heartbeat(Scenario scenario) => scenario.Evaluate("heartbeat");

    [ReadinessCheck("database")]
    public static async Task<HealthResult> Database(Scenario scenario, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return await scenario.EvaluateAsync("database", cancellationToken);
    }

    [ReadinessCheck("cache")]
    public static bool Cache(Scenario scenario) => scenario.EvaluateBoolean("cache");

    [StartupCheck("migrations")]
    public static ValueTask<bool> Migrations(Scenario scenario) => ValueTask.FromResult(scenario.EvaluateBoolean("migrations"));

    [ResolverCheck("ldapresolver1", Kind = "ldapresolver")]
    public static Task<HealthResult> Ldap(Scenario scenario, CancellationToken cancellationToken) => Task.FromResult(scenario.Evaluate("ldapresolver1"));

    [ResolverCheck("sqlresolver1", Kind = "sqlresolver")]
    public static void Sql(Scenario scenario)
    {
        if (scenario.Evaluate("sqlresolver1").Status == HealthStatus.Unhealthy)
        {
            throw new HealthCheckException("sql resolver unreachable: " + Scenario.Secret);
        }
    }
}
