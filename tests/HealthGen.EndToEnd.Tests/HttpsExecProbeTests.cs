using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.NetworkInformation;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// The exec probe in an HTTPS-only container: it finds the https endpoint in the environment the server reads and,
/// like the kubelet's HTTPS probe, does not verify the certificate of its own process on loopback; any other host is
/// verified as usual (docs/kubernetes.md, "Hardened applications and probes").
/// </summary>
public sealed class HttpsExecProbeTests : IAsyncLifetime
{
    /// <summary>Every variable the exec probe reads to find the server; each test sets only the ones it is about.</summary>
    private static readonly string[] ServerVariables =
        ["HEALTHGEN_PROBE_URL", "HEALTHGEN_PROBE_PREFIX", "ASPNETCORE_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "HTTPS_PORTS"];

    private X509Certificate2 _certificate = null!;
    private HardenedApp _app = null!;

    public async Task InitializeAsync()
    {
        _certificate = PublicNameCertificate.Create(HardenedApp.PublicName);
        // HTTPS only, with a certificate for the public name; a second listener on every interface serves the
        // same application under names and addresses that are not loopback.
        _app = await HardenedApp.StartAsync(httpsCertificate: _certificate, alsoListenOn: IPAddress.Any);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public void The_in_process_probe_accepts_its_own_process_on_loopback_whatever_the_certificate_names()
    {
        Assert.Equal(0, Probe($"https://127.0.0.1:{_app.Port}/healthz/livez"));
        Assert.Equal(0, Probe($"https://localhost:{_app.Port}/healthz/readyz"));
        Assert.Equal(0, Probe($"https://127.0.0.1:{AnyInterfacePort}/healthz/startupz"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the native-AOT binary
    public async Task The_binary_finds_the_https_port_in_the_environment_and_exits_0(bool native)
    {
        foreach (var environment in new Dictionary<string, string>[]
        {
            new() { ["ASPNETCORE_HTTPS_PORTS"] = $"{_app.Port}" },
            new() { ["HTTPS_PORTS"] = $"{_app.Port}" },
            new() { ["ASPNETCORE_URLS"] = $"https://+:{_app.Port}" },
        })
        {
            (int exitCode, string output) = await RunBinaryProbeAsync(native, environment, "livez");
            Assert.True(exitCode == 0, $"{string.Join(", ", environment)}: exit {exitCode}: {output}");
            Assert.StartsWith($"OK 200 https://127.0.0.1:{_app.Port}/healthz/livez", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_host_name_that_is_not_loopback_is_verified_and_the_untrusted_certificate_rejected()
    {
        // The machine's own name reaches this very server (it listens on every interface) without touching
        // /etc/hosts; only the name differs from 127.0.0.1, and the certificate is trusted by nobody.
        string name = Dns.GetHostName();
        await AssertReachableAsync(name);

        Assert.Equal(1, Probe($"https://{name}:{AnyInterfacePort}/healthz/livez"));
        (int exitCode, string output) = await RunBinaryProbeAsync(native: false, [], $"https://{name}:{AnyInterfacePort}/healthz/livez");
        Assert.Equal(1, exitCode);
        Assert.Contains("SSL", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_that_is_not_loopback_is_verified_and_the_untrusted_certificate_rejected()
    {
        IPAddress? address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Assert.True(address is not null, "This test needs a network interface with an IPv4 address that is not loopback.");
        await AssertReachableAsync(address.ToString());

        Assert.Equal(1, Probe($"https://{address}:{AnyInterfacePort}/healthz/livez"));
    }

    /// <summary>The listener on every interface (the first is the loopback one).</summary>
    private int AnyInterfacePort => _app.Addresses.Single(a => a.Host is "0.0.0.0" or "[::]").Port;

    private static int Probe(string url)
    {
        Assert.True(HealthGenProbe.TryRun(["probe", url], out int exitCode));
        return exitCode;
    }

    /// <summary>The server answers under this host at all (the test client trusts the certificate): a rejection is the certificate's.</summary>
    private async Task AssertReachableAsync(string host)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false, SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true } };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using HttpResponseMessage response = await client.GetAsync($"https://{host}:{AnyInterfacePort}/healthz/livez");
        Assert.InRange((int)response.StatusCode, 200, 499); // an answer, whatever it says: the connection and TLS work
    }

    private static async Task<(int ExitCode, string Output)> RunBinaryProbeAsync(bool native, Dictionary<string, string> environment, params string[] arguments)
    {
        ProcessStartInfo start = SampleProcess.CreateStartInfo(native, ["probe", .. arguments]);
        foreach (string variable in ServerVariables)
        {
            start.Environment.Remove(variable);
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
