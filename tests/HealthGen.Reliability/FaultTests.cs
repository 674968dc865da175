using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using HealthGen.Checks.Ldap;
using HealthGen.Checks.Ldap.Tests.Infrastructure;
using HealthGen.Checks.Pkcs11;
using HealthGen.Testing;
using HealthGen.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HealthGen.Reliability;

/// <summary>
/// Real dependencies fail under continuous probing. Each scenario asserts what must hold — never a 500,
/// liveness 200 throughout, readiness detects the fault and recovers — and records how long detection and
/// recovery took (figures, not assertions).
/// </summary>
public sealed partial class FaultTests
{
    [Fact]
    public async Task PostgreSQL_killed_with_SIGKILL_and_restarted()
    {
        await using PostgresServer postgres = await PostgresServer.StartAsync();
        string connectionString = postgres.ConnectionString();
        await using LoopbackWebHost host = await ReliabilityHost.StartAsync(["livez/process", "readyz/database"],
            s => s.AddSingleton(_ => NpgsqlDataSource.Create(connectionString)));
        await using var load = new ProbeLoad(host.Client.BaseAddress!, ["/healthz/readyz", "/healthz/livez", "/healthz/readyz?verbose", "/healthz"]);

        await load.WaitForAsync("/healthz/readyz", 200, TimeSpan.Zero);
        TimeSpan killed = load.Now;
        await postgres.KillAsync();
        TimeSpan detected = await load.WaitForAsync("/healthz/readyz", 503, killed);
        TimeSpan restarted = load.Now;
        await postgres.StartAgainAsync();
        TimeSpan recovered = await load.WaitForAsync("/healthz/readyz", 200, restarted);

        await load.DisposeAsync();
        Verify(load.Samples, "PostgreSQL SIGKILL + restart", detected - killed, recovered - restarted, "check timeout 1 s, readiness cache 0.5 s", secrets: [PostgresServer.SuperuserPassword, connectionString]);
    }

    [Fact]
    public async Task Slapd_stopped_and_restarted()
    {
        await using SlapdServer slapd = await SlapdServer.StartAsync();
        await using LoopbackWebHost host = await ReliabilityHost.StartAsync(["livez/process", "resolversz/ldapresolver/ldap1"],
            s => s.AddLdapResolvers(o => o.Resolvers["ldap1"] = new LdapResolverOptions { Url = slapd.Url, BindDn = SlapdServer.AdminDn, Password = slapd.AdminPassword, TimeoutMs = 1000 }));
        await using var load = new ProbeLoad(host.Client.BaseAddress!, ["/healthz/resolversz", "/healthz/livez", "/healthz/resolversz?verbose"]);

        await load.WaitForAsync("/healthz/resolversz", 200, TimeSpan.Zero);
        TimeSpan stopped = load.Now;
        slapd.Stop();
        TimeSpan detected = await load.WaitForAsync("/healthz/resolversz", 503, stopped);
        TimeSpan restarted = load.Now;
        await slapd.RestartAsync();
        TimeSpan recovered = await load.WaitForAsync("/healthz/resolversz", 200, restarted);

        await load.DisposeAsync();
        Verify(load.Samples, "slapd stopped + restarted", detected - stopped, recovered - restarted, "check timeout 1 s, resolver cache 0.5 s", secrets: [slapd.AdminPassword, SlapdServer.AdminDn]);
    }

    [Fact]
    public async Task A_dependency_that_accepts_TCP_and_never_answers()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        string connectionString = $"Host=127.0.0.1;Port={((IPEndPoint)silent.LocalEndpoint).Port};Username=app;Password=x;Timeout=30";
        await using LoopbackWebHost host = await ReliabilityHost.StartAsync(["livez/process", "readyz/silent"],
            s => s.AddKeyedSingleton("silent", (_, _) => NpgsqlDataSource.Create(connectionString)));
        await using var load = new ProbeLoad(host.Client.BaseAddress!, ["/healthz/readyz", "/healthz/livez", "/healthz/readyz?verbose"]);

        TimeSpan detected = await load.WaitForAsync("/healthz/readyz", 503, TimeSpan.Zero);
        await Task.Delay(TimeSpan.FromSeconds(3)); // keep probing a while: the answer must stay a clean 503
        await load.DisposeAsync();

        IReadOnlyList<ProbeLoad.Sample> samples = load.Samples;
        Assert.All(samples.Where(s => s.Path == "/healthz/readyz"), s => Assert.Equal(503, s.Status));
        Verify(samples, "dependency accepts TCP, never answers", detected, null, "check timeout 0.5 s");
    }

    [Fact]
    public async Task SoftHSM2_token_directory_removed_and_restored()
    {
        using SoftHsmFixture hsm = SoftHsmFixture.Create();
        await using LoopbackWebHost host = await ReliabilityHost.StartAsync(["livez/process", "readyz/hsm"],
            s => s.AddPkcs11Token(o => { o.Module = SoftHsmFixture.Module; o.TokenLabel = SoftHsmFixture.Label; o.Pin = SoftHsmFixture.Pin; }));
        await using var load = new ProbeLoad(host.Client.BaseAddress!, ["/healthz/readyz", "/healthz/livez"]);

        await load.WaitForAsync("/healthz/readyz", 200, TimeSpan.Zero);
        TimeSpan removed = load.Now;
        hsm.RemoveTokens();
        TimeSpan detected = await load.WaitForAsync("/healthz/readyz", 503, removed);
        hsm.RestoreTokens();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.DisposeAsync();

        // SoftHSM2 keeps a token it lost broken until the module is finalized and initialized again (see
        // docs/checks.md), so recovery is not asserted here; detection, liveness and no 500 are.
        bool recovered = load.Samples.Any(s => s.Path == "/healthz/readyz" && s.At > detected && s.Status == 200);
        Verify(load.Samples, "SoftHSM2 token directory removed + restored", detected - removed, null,
            $"check timeout 1 s, readiness cache 0.5 s; recovered without re-initialization: {(recovered ? "yes" : "no (SoftHSM2 behaviour)")}", secrets: [SoftHsmFixture.Pin]);
    }

    /// <summary>The properties every scenario must keep, and its figures.</summary>
    private static void Verify(IReadOnlyList<ProbeLoad.Sample> samples, string scenario, TimeSpan detect, TimeSpan? recover, string settings, string[]? secrets = null)
    {
        Assert.NotEmpty(samples);
        ProbeLoad.Sample[] broken = samples.Where(s => s.Status == 0 || (s.Status >= 500 && s.Status != 503)).ToArray();
        Assert.True(broken.Length == 0, $"{scenario}: {broken.Length} answers were errors, e.g. {broken.FirstOrDefault()}");
        ProbeLoad.Sample[] liveness = samples.Where(s => s.Path == "/healthz/livez").ToArray();
        Assert.NotEmpty(liveness);
        Assert.All(liveness, s => Assert.Equal(200, s.Status));

        Figures.Record(scenario, $"{samples.Count} requests, 0 errors, livez 200 in {liveness.Length}/{liveness.Length}; " +
            $"detected after {detect.TotalSeconds:0.00} s" + (recover is { } r ? $", recovered {r.TotalSeconds:0.00} s after the dependency returned" : "") + $" ({settings})");
    }
}

/// <summary>A private SoftHSM2 token for the HSM scenario; SOFTHSM2_CONF is set in the native environment before the module loads.</summary>
internal sealed partial class SoftHsmFixture : IDisposable
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    public const string Label = "reliability";
    public const string Pin = "reliability-Pin-5521";

    private readonly string _root;
    private readonly string _tokens;
    private readonly string _backup;

    private SoftHsmFixture(string root)
    {
        _root = root;
        _tokens = Path.Combine(root, "tokens");
        _backup = Path.Combine(root, "backup");
    }

    public static SoftHsmFixture Create()
    {
        if (!File.Exists(Module))
        {
            throw new InvalidOperationException(ServerProcess.Describe($"The SoftHSM2 module {Module}", "softhsm2"));
        }

        var fixture = new SoftHsmFixture(Directory.CreateTempSubdirectory("healthgen-reliability-hsm-").FullName);
        Directory.CreateDirectory(fixture._tokens);
        string configuration = Path.Combine(fixture._root, "softhsm2.conf");
        File.WriteAllText(configuration, $"directories.tokendir = {fixture._tokens}\nobjectstore.backend = file\nlog.level = ERROR\n");
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", configuration);
        if (SetEnvironmentVariable("SOFTHSM2_CONF", configuration, 1) != 0)
        {
            throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed.");
        }

        ServerProcess.RunAsync("softhsm2-util", "--init-token", "--free", "--label", Label, "--pin", Pin, "--so-pin", "reliability-so").GetAwaiter().GetResult();
        return fixture;
    }

    public void RemoveTokens() => Directory.Move(_tokens, _backup);

    public void RestoreTokens() => Directory.Move(_backup, _tokens);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironmentVariable(string name, string value, int overwrite);
}
