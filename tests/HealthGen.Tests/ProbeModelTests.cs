using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Hosting;
using HealthGen.Probes;
using HealthGen.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HealthGen.Tests;

public sealed class HealthCheckRegistrationTests
{
    private static readonly Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> Healthy = static (_, _) => new(HealthResult.Healthy());

    [Theory]
    [InlineData("")]
    [InlineData("Database")]
    [InlineData("has space")]
    [InlineData("_x")]
    [InlineData("status")]
    [InlineData("checks")]
    [InlineData("a1234567890123456789012345678901234567890123456789012345678901234")]
    public void Invalid_or_reserved_names_are_rejected(string name)
        => Assert.Throws<ArgumentException>(() => new HealthCheckRegistration(name, ProbeKind.Liveness, null, -1, -1, Healthy));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("LDAP")]
    [InlineData("status")]
    public void Resolvers_need_a_valid_kind(string? kind)
        => Assert.Throws<ArgumentException>(() => new HealthCheckRegistration("r1", ProbeKind.Resolver, kind, -1, -1, Healthy));

    [Theory]
    [InlineData(0, -1)]
    [InlineData(-5, -1)]
    [InlineData(-1, -2)]
    public void Timeouts_must_be_positive_and_cache_durations_not_negative(int timeoutMs, int cacheMs)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new HealthCheckRegistration("c", ProbeKind.Readiness, null, timeoutMs, cacheMs, Healthy));

    [Fact]
    public void A_kind_is_ignored_outside_resolvers()
        => Assert.Null(new HealthCheckRegistration("c", ProbeKind.Readiness, "ldapresolver", -1, -1, Healthy).Kind);

    [Fact]
    public void Duplicate_names_in_one_probe_fail_fast_naming_them()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new HealthCheckSet(
        [
            new HealthCheckRegistration("db", ProbeKind.Readiness, null, -1, -1, Healthy),
            new HealthCheckRegistration("db", ProbeKind.Liveness, null, -1, -1, Healthy),
            new HealthCheckRegistration("db", ProbeKind.Readiness, null, -1, -1, Healthy),
        ]));
        Assert.Contains("Readiness check 'db'", exception.Message);
    }

    [Fact]
    public void The_same_resolver_name_may_appear_in_two_kinds_and_resolvers_sort_by_kind_then_name()
    {
        var set = new HealthCheckSet(
        [
            new HealthCheckRegistration("r2", ProbeKind.Resolver, "sqlresolver", -1, -1, Healthy),
            new HealthCheckRegistration("r1", ProbeKind.Resolver, "sqlresolver", -1, -1, Healthy),
            new HealthCheckRegistration("r1", ProbeKind.Resolver, "ldapresolver", -1, -1, Healthy),
        ]);
        Assert.Equal(["ldapresolver/r1", "sqlresolver/r1", "sqlresolver/r2"], Array.ConvertAll(set.Resolvers, r => $"{r.Kind}/{r.Name}"));
    }

    [Fact]
    public void Disabled_checks_are_left_out_by_path()
    {
        var set = new HealthCheckSet(
        [
            new HealthCheckRegistration("db", ProbeKind.Readiness, null, -1, -1, Healthy),
            new HealthCheckRegistration("cache", ProbeKind.Readiness, null, -1, -1, Healthy),
            new HealthCheckRegistration("db", ProbeKind.Liveness, null, -1, -1, Healthy),
            new HealthCheckRegistration("r1", ProbeKind.Resolver, "ldapresolver", -1, -1, Healthy),
        ], ["readyz/db", "resolversz/ldapresolver/r1"]);
        Assert.Equal(["cache"], Array.ConvertAll(set.Readiness, r => r.Name));
        Assert.Equal(["db"], Array.ConvertAll(set.Liveness, r => r.Name));
        Assert.Empty(set.Resolvers);
    }

    [Fact]
    public void A_disabled_path_that_names_no_check_fails_fast_listing_the_real_ones()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new HealthCheckSet(
            [new HealthCheckRegistration("db", ProbeKind.Readiness, null, -1, -1, Healthy)], ["readyz/dbb"]));
        Assert.Contains("readyz/dbb", exception.Message);
        Assert.Contains("Checks are named by path: readyz/db", exception.Message);
    }

    [Theory]
    [InlineData("/healthz", "/healthz")]
    [InlineData("/healthz/", "/healthz")]
    [InlineData("/", "/")]
    [InlineData("", "/")]
    [InlineData("/ops/health", "/ops/health")]
    public void Prefixes_are_normalized(string prefix, string expected) => Assert.Equal(expected, HealthGenEndpoints.NormalizePrefix(prefix));

    [Theory]
    [InlineData("healthz")]
    [InlineData("/healthz?x=1")]
    public void Prefixes_that_are_not_absolute_paths_are_rejected(string prefix)
        => Assert.Throws<ArgumentException>(() => HealthGenEndpoints.NormalizePrefix(prefix));
}

public sealed class ProbeResponseJsonConverterTests
{
    private static readonly Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> Healthy = static (_, _) => new(HealthResult.Healthy());

    [Fact]
    public void Writes_each_layout()
    {
        CheckReport ok = Report("database", HealthResult.Healthy());
        CheckReport slow = Report("cache", HealthResult.Degraded("slow"));
        CheckReport down = Report("hsm", HealthResult.Unhealthy("token not present"));

        Assert.Equal("""{"status":"ready"}""", Write(new ProbeResponse(ProbeWords.Ready)));
        Assert.Equal("""{"status":"ready","database":"OK","cache":"degraded","hsm":"fail"}""", Write(new ProbeResponse(ProbeWords.Ready, [ok, slow, down], ResponseLayout.AllChecks)));
        Assert.Equal("""{"status":"fail","cache":"degraded","hsm":"fail"}""", Write(new ProbeResponse(ProbeWords.Fail, [ok, slow, down], ResponseLayout.NotHealthyChecks)));
    }

    [Fact]
    public void Groups_resolvers_by_kind()
    {
        CheckReport[] reports =
        [
            Report("ldap1", HealthResult.Healthy(), "ldapresolver"),
            Report("ldap2", HealthResult.Unhealthy(), "ldapresolver"),
            Report("sql1", HealthResult.Healthy(), "sqlresolver"),
        ];
        Assert.Equal("""{"status":"not ready","ldapresolver":{"ldap1":"OK","ldap2":"fail"},"sqlresolver":{"sql1":"OK"}}""",
            Write(new ProbeResponse(ProbeWords.NotReady, reports, ResponseLayout.GroupedByKind)));
    }

    [Fact]
    public void Descriptions_and_exceptions_are_never_written()
    {
        string json = Write(new ProbeResponse(ProbeWords.Fail, [Report("db", HealthResult.Unhealthy("secret host", new InvalidOperationException("boom")))], ResponseLayout.AllChecks));
        Assert.DoesNotContain("secret", json);
        Assert.DoesNotContain("boom", json);
    }

    private static CheckReport Report(string name, HealthResult result, string? kind = null)
        => new(new HealthCheckRegistration(name, kind is null ? ProbeKind.Readiness : ProbeKind.Resolver, kind, -1, -1, Healthy),
            new CheckResult(result, CheckFailure.None, TimeSpan.Zero));

    private static string Write(ProbeResponse response) => Json.Write(response);
}

public sealed class StartupGateTests
{
    [Fact]
    public async Task The_gate_opens_only_after_the_host_started_and_every_check_passed_once()
    {
        var collection = new ServiceCollection();
        collection.AddHealthGen(o => o.DefaultTimeoutMs = 60_000); // about the gate, not timeouts: never time out on a loaded machine
        await using ServiceProvider services = collection.BuildServiceProvider();
        CheckExecutor executor = services.GetRequiredService<CheckExecutor>();

        bool migrated = false;
        int runs = 0;
        var first = new HealthCheckRegistration("schema", ProbeKind.Startup, null, -1, -1, (_, _) => { runs++; return new(HealthResult.Healthy()); });
        var second = new HealthCheckRegistration("migrations", ProbeKind.Startup, null, -1, -1, (_, _) => new(migrated ? HealthResult.Healthy() : HealthResult.Unhealthy()));
        using var hostStarted = new CancellationTokenSource();
        var gate = new StartupGate(new ProbeChecks([new CheckSlot(first, executor, TimeSpan.Zero), new CheckSlot(second, executor, TimeSpan.Zero)]), hostStarted.Token);

        Assert.False(await gate.IsStartedAsync(default)); // host not started: no check runs
        Assert.Equal(0, runs);

        await hostStarted.CancelAsync();
        Assert.False(await gate.IsStartedAsync(default));
        Assert.Equal(1, runs);

        migrated = true;
        Assert.True(await gate.IsStartedAsync(default));
        Assert.Equal(1, runs); // passed once: not run again

        migrated = false;
        Assert.True(await gate.IsStartedAsync(default)); // latched
    }
}

public sealed class HealthGenOptionsTests
{
    [Fact]
    public void Options_bind_from_the_HealthGen_section_and_code_runs_after_configuration()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new System.Collections.Generic.Dictionary<string, string?>
            {
                ["HealthGen:DefaultTimeoutMs"] = "450",
                ["HealthGen:DetailsToken"] = "from-config",
                ["HealthGen:DisabledChecks:0"] = "readyz/cache",
            })
            .Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(configuration);
        collection.AddHealthGen(options => options.DetailsToken = "from-code");
        using ServiceProvider services = collection.BuildServiceProvider();

        HealthGenOptions options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthGenOptions>>().Value;
        Assert.Equal((450, "from-code"), (options.DefaultTimeoutMs, options.DetailsToken));
        Assert.Equal(["readyz/cache"], options.DisabledChecks);
    }

    [Fact]
    public async Task An_invalid_timeout_stops_the_host_at_start_with_a_clear_message()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.Services.AddHealthGen(options => options.DefaultTimeoutMs = 0);
        await using var app = builder.Build();
        var exception = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("DefaultTimeoutMs must be greater than zero", exception.Message);
    }

    [Fact]
    public void Mapping_without_AddHealthGen_says_what_is_missing()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        var app = builder.Build();
        var exception = Assert.Throws<InvalidOperationException>(() => HealthGenEndpoints.Map(app, "/healthz",
            JsonMetadataServices.CreateValueInfo<ProbeResponse>(new JsonSerializerOptions(), new ProbeResponseJsonConverter()),
            JsonMetadataServices.CreateValueInfo<DetailsResponse>(new JsonSerializerOptions(), new DetailsResponseJsonConverter()), []));
        Assert.Contains("AddHealthGen", exception.Message);
    }
}

public sealed class HealthChecksInteropNamingTests
{
    [Theory]
    [InlineData("Database Check", "database_check")]
    [InlineData("Redis", "redis")]
    [InlineData("_x", "x")]
    [InlineData("a.b-c_d", "a.b-c_d")]
    public void Registration_names_become_check_names(string registration, string check)
        => Assert.Equal(check, HealthGen.Interop.HealthChecksInterop.CheckNameFor(registration));

    [Theory]
    [InlineData("status")]
    [InlineData("!!!")]
    public void Names_that_cannot_be_check_names_fail_with_a_clear_message(string registration)
        => Assert.Contains("rename it", Assert.Throws<System.InvalidOperationException>(() => HealthGen.Interop.HealthChecksInterop.CheckNameFor(registration)).Message);
}
