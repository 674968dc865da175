using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static HealthGen.Testing.Eventually;

namespace HealthGen.EndToEnd.Tests;

/// <summary><c>HealthGenProbe.TryRun</c> against a real running server, and the file probe of a worker without HTTP.</summary>
public sealed class ExecProbeTests
{
    [Fact]
    public async Task The_exec_probe_exits_0_on_2xx_and_1_on_503_refused_or_silent_servers()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["database"] = Behavior.Unhealthy);
        string baseUrl = host.Client.BaseAddress!.ToString().TrimEnd('/');

        Assert.Equal(0, Probe($"{baseUrl}/healthz/livez"));
        Assert.Equal(1, Probe($"{baseUrl}/healthz/readyz"));

        int closedPort = HealthGen.Testing.Servers.ServerProcess.FreeLoopbackPort();
        Assert.Equal(1, Probe($"http://127.0.0.1:{closedPort}/healthz/livez"));

        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts, never answers: the probe must give up at its timeout, not hang
        Assert.Equal(1, Probe($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/healthz/livez", "--timeout", "0.5"));
    }

    [Fact]
    public async Task A_worker_without_HTTP_reflects_its_probes_in_files()
    {
        string directory = Directory.CreateTempSubdirectory("healthgen-fileprobe-").FullName;
        string liveness = Path.Combine(directory, "alive");
        string readiness = Path.Combine(directory, "ready");
        var scenario = new Scenario();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(scenario);
        builder.Services.AddHealthGen(o => o.ReadinessCacheMs = 0);
        builder.Services.AddHealthGenFileProbe(o => { o.LivenessFile = liveness; o.ReadinessFile = readiness; o.IntervalMs = 50; });
        using IHost worker = builder.Build();
        await worker.StartAsync();
        try
        {
            await WaitUntil(() => File.Exists(liveness) && File.Exists(readiness));
            Assert.Equal(0, Probe("file", "--liveness", liveness, "--max-age", "60"));
            Assert.Equal(0, Probe("file", "--readiness", readiness));

            scenario["database"] = Behavior.Unhealthy;
            await WaitUntil(() => !File.Exists(readiness));
            Assert.Equal(1, Probe("file", "--readiness", readiness));
            Assert.Equal(0, Probe("file", "--liveness", liveness, "--max-age", "60")); // liveness does not depend on the database
        }
        finally
        {
            await worker.StopAsync();
            Assert.False(File.Exists(readiness)); // a stopping worker is not ready
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_worker_needs_only_AddHealthGenFileProbe_and_stopping_never_throws_even_when_no_file_was_ever_written()
    {
        string directory = Path.Combine(Path.GetTempPath(), "healthgen-never-created-" + Guid.NewGuid().ToString("N"));
        string readiness = Path.Combine(directory, "ready");
        string liveness = Path.Combine(Directory.CreateTempSubdirectory("healthgen-fileprobe-").FullName, "alive");
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new Scenario { ["database"] = Behavior.Unhealthy }); // never ready: the readiness file never appears
        builder.Services.AddHealthGenFileProbe(o => { o.LivenessFile = liveness; o.ReadinessFile = readiness; o.IntervalMs = 50; }); // and nothing else
        using IHost worker = builder.Build();

        await worker.StartAsync();
        await WaitUntil(() => File.Exists(liveness));
        await worker.StopAsync(); // deleted a file in a directory that was never created: DirectoryNotFoundException, exit 134

        Assert.False(Directory.Exists(directory));
        Directory.Delete(Path.GetDirectoryName(liveness)!, recursive: true);
    }

    private static int Probe(params string[] target)
    {
        Assert.True(HealthGenProbe.TryRun(["probe", .. target], out int exitCode));
        return exitCode;
    }
}
