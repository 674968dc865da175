using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace HealthGen.Generators.Tests;

/// <summary>
/// Compiles, loads and runs the generated invokers: what a check returns or throws must become the
/// right <see cref="HealthResult"/>, arguments must come from the right place, and objects the generated
/// code builds must be disposed.
/// </summary>
public sealed class GeneratedCodeExecutionTests
{
    [Fact]
    public async Task Every_return_type_passes_when_the_check_passes()
    {
        (IReadOnlyList<HealthCheckRegistration> checks, Assembly app) = Compile(Sources.ReturnTypes);
        using ServiceProvider services = Services(app, fail: false);
        Assert.Equal(9, checks.Count);
        foreach (HealthCheckRegistration check in checks)
        {
            HealthResult result = await check.Invoke(services, CancellationToken.None);
            Assert.True(result.Status == HealthStatus.Healthy, $"{check} returned {result}");
        }
    }

    [Theory]
    [InlineData("boolean_check", "The check returned false.")]
    [InlineData("task_of_boolean_check", "The check returned false.")]
    [InlineData("value_task_of_boolean_check", "The check returned false.")]
    [InlineData("result_check", "result failed")]
    public async Task False_and_unhealthy_results_fail_the_check(string name, string description)
    {
        (IReadOnlyList<HealthCheckRegistration> checks, Assembly app) = Compile(Sources.ReturnTypes);
        using ServiceProvider services = Services(app, fail: true);
        HealthResult result = await checks.Single(c => c.Name == name).Invoke(services, CancellationToken.None);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal(description, result.Description);
    }

    [Fact]
    public async Task A_degraded_result_is_passed_through()
    {
        (IReadOnlyList<HealthCheckRegistration> checks, Assembly app) = Compile(Sources.ReturnTypes);
        using ServiceProvider services = Services(app, fail: true);
        HealthResult result = await checks.Single(c => c.Name == "task_of_result_check").Invoke(services, CancellationToken.None);
        Assert.Equal(HealthStatus.Degraded, result.Status);
    }

    [Theory]
    [InlineData("void_check", "void failed")]
    [InlineData("task_check", "task failed")]
    [InlineData("value_task_check", "value task failed")]
    public async Task Exceptions_propagate_to_the_runner(string name, string message)
    {
        (IReadOnlyList<HealthCheckRegistration> checks, Assembly app) = Compile(Sources.ReturnTypes);
        using ServiceProvider services = Services(app, fail: true);
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(async () => await checks.Single(c => c.Name == name).Invoke(services, CancellationToken.None));
        Assert.Equal(message, exception.Message);
    }

    [Fact]
    public void Registrations_carry_probe_kind_and_settings()
    {
        (IReadOnlyList<HealthCheckRegistration> checks, _) = Compile(Sources.Resolvers);
        HealthCheckRegistration ldap1 = checks.Single(c => c.Name == "ldapresolver1");
        Assert.Equal((ProbeKind.Resolver, "ldapresolver", 800, 10000), (ldap1.Probe, ldap1.Kind, ldap1.TimeoutMs, ldap1.CacheMs));
        HealthCheckRegistration sql1 = checks.Single(c => c.Name == "sqlresolver1");
        Assert.Equal((HealthCheckRegistration.UseDefault, 0), (sql1.TimeoutMs, sql1.CacheMs));
        Assert.Equal(["ldapresolver1", "ldapresolver2", "sqlresolver1", "users.primary"], checks.Select(c => c.Name));
    }

    [Fact]
    public async Task Instances_come_from_DI_when_registered_and_are_built_and_disposed_otherwise()
    {
        (IReadOnlyList<HealthCheckRegistration> checks, Assembly app) = Compile(Sources.InstanceChecks);
        Type log = app.GetType("App.Log")!;
        Type disposable = app.GetType("App.DisposableCheck")!;
        object sharedLog = Activator.CreateInstance(log)!;

        var collection = new ServiceCollection();
        collection.AddSingleton(log, sharedLog);
        collection.AddSingleton(app.GetType("App.Clock")!);
        using (ServiceProvider built = collection.BuildServiceProvider())
        {
            foreach (string name in new[] { "ctor_injected", "disposable", "async_disposable" })
            {
                HealthResult result = await checks.Single(c => c.Name == name).Invoke(built, CancellationToken.None);
                Assert.Equal(HealthStatus.Healthy, result.Status);
            }
        }

        Assert.Equal(2, (int)log.GetField("Disposed")!.GetValue(sharedLog)!); // DisposableCheck and AsyncDisposableCheck, built by us

        // Registered in DI: the container owns it, the generated code must not dispose it.
        collection.AddSingleton(disposable);
        using ServiceProvider withRegistration = collection.BuildServiceProvider();
        await checks.Single(c => c.Name == "disposable").Invoke(withRegistration, CancellationToken.None);
        Assert.Equal(2, (int)log.GetField("Disposed")!.GetValue(sharedLog)!);

        // Two public constructors: it must come from DI; without a registration resolving fails loudly.
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await checks.Single(c => c.Name == "from_container").Invoke(withRegistration, CancellationToken.None));
    }

    [Fact]
    public async Task Keyed_optional_provider_and_token_arguments_are_supplied()
    {
        (IReadOnlyList<HealthCheckRegistration> checks, Assembly app) = Compile(Sources.ServiceParameters);
        Type store = app.GetType("App.IStore")!;
        Type region = app.GetType("App.Region")!;
        var collection = new ServiceCollection();
        Type reachable = app.GetType("App.ReachableStore")!;
        collection.AddKeyedSingleton(store, "primary", reachable);
        collection.AddKeyedSingleton(store, Enum.ToObject(region, 2), reachable);
        collection.AddSingleton(store, reachable);
        using ServiceProvider services = collection.BuildServiceProvider();

        foreach (HealthCheckRegistration check in checks)
        {
            HealthResult result = await check.Invoke(services, CancellationToken.None);
            Assert.True(result.Status == HealthStatus.Healthy, $"{check} returned {result}");
        }

        // Without the keyed registrations the keyed checks cannot run; the optional one still passes.
        var bare = new ServiceCollection();
        using ServiceProvider empty = bare.BuildServiceProvider();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await checks.Single(c => c.Name == "keyed_string").Invoke(empty, CancellationToken.None));
        Assert.Equal(HealthStatus.Healthy, (await checks.Single(c => c.Name == "optional").Invoke(empty, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_cancelled_token_reaches_the_check()
    {
        (IReadOnlyList<HealthCheckRegistration> checks, Assembly app) = Compile(Sources.InstanceChecks);
        var collection = new ServiceCollection();
        collection.AddSingleton(app.GetType("App.FromContainerOnly")!);
        using ServiceProvider services = collection.BuildServiceProvider();
        HealthResult result = await checks.Single(c => c.Name == "from_container").Invoke(services, new CancellationToken(canceled: true));
        Assert.Equal(HealthStatus.Unhealthy, result.Status); // the method returns !IsCancellationRequested
    }

    [Fact]
    public void Operations_settings_reach_the_registrations_and_defaults_stay_defaults()
    {
        (IReadOnlyList<HealthCheckRegistration> checks, _) = Compile(Sources.OperationsSettings);

        HealthCheckRegistration database = checks.Single(c => c.Name == "database");
        Assert.Equal((5000, 3), (database.PeriodMs, database.FailureThreshold));
        Assert.Empty(database.DependsOn);

        HealthCheckRegistration billing = checks.Single(c => c.Name == "billing");
        Assert.Equal((0, 2, 500), (billing.PeriodMs, billing.FailureThreshold, billing.TimeoutMs));
        Assert.Equal(["database", "orders"], billing.DependsOn);

        HealthCheckRegistration groups = checks.Single(c => c.Name == "groups");
        Assert.Equal(("ldapresolver", 1), (groups.Kind, groups.FailureThreshold));
        Assert.Equal(["users"], groups.DependsOn);
        Assert.Equal(30000, checks.Single(c => c.Name == "users").PeriodMs);

        HealthCheckRegistration heartbeat = checks.Single(c => c.Name == "heartbeat");
        Assert.Equal((0, 1, "TestApp"), (heartbeat.PeriodMs, heartbeat.FailureThreshold, heartbeat.Source));
        Assert.Empty(heartbeat.DependsOn);
    }

    private static (IReadOnlyList<HealthCheckRegistration> Checks, Assembly App) Compile(string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source));
        Assembly app = GeneratorHarness.Load(outcome.Output);
        Type catalog = app.GetType("HealthGen.Generated.HealthCheckCatalog_TestApp", throwOnError: true)!;
        var checks = (IReadOnlyList<HealthCheckRegistration>)catalog.GetProperty("Checks")!.GetValue(null)!;
        return (checks, app);
    }

    private static ServiceProvider Services(Assembly app, bool fail)
    {
        Type switchType = app.GetType("App.Switch")!;
        object instance = Activator.CreateInstance(switchType)!;
        switchType.GetProperty("Fail")!.SetValue(instance, fail);
        var collection = new ServiceCollection();
        collection.AddSingleton(switchType, instance);
        return collection.BuildServiceProvider();
    }
}
