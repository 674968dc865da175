using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Checks.Pkcs11.Tests;

/// <summary>
/// tests/HealthGen.Checks.Pkcs11.HostApp running as its own process on a free loopback port, with its own
/// SoftHSM2 state (the fixture's configuration and tokens, a separate initialization), stopped with SIGTERM
/// the way Kubernetes stops a pod.
/// </summary>
internal sealed partial class HostAppProcess : IAsyncDisposable
{
    private const int SIGTERM = 15;
    private static readonly TimeSpan s_generousBound = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostAppProcess(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = s_generousBound };
    }

    public HttpClient Client { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string Program => Path.Combine(AppContext.BaseDirectory, "hostapp", "HealthGen.Checks.Pkcs11.HostApp.dll");

    /// <param name="checkPin">The PIN HealthGen's check logs in with; null: the check does not log in.</param>
    public static async Task<HostAppProcess> StartAsync(SoftHsm hsm, SoftHsmToken token, string? checkPin)
    {
        Assert.True(File.Exists(Program), $"The host app was not built next to the tests: {Program}");
        int port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Program)!,
        };
        start.ArgumentList.Add(Program);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["SOFTHSM2_CONF"] = hsm.ConfigurationPath;
        start.Environment["App__Module"] = SoftHsm.ModulePath;
        start.Environment["App__TokenLabel"] = token.Label;
        start.Environment["App__Pin"] = token.Pin;
        start.Environment["Hsm__Module"] = SoftHsm.ModulePath;
        start.Environment["Hsm__TokenLabel"] = token.Label;
        if (checkPin is not null)
        {
            start.Environment["Hsm__Pin"] = checkPin;
        }

        // About shutdown, not timeouts: a cold process on a loaded machine must not fail a probe on time.
        start.Environment["HealthGen__DefaultTimeoutMs"] = "10000";

        var host = new HostAppProcess(Process.Start(start)!, port);
        host._process.OutputDataReceived += (_, e) => host.Append(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        await host.WaitUntilListeningAsync();
        return host;
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using HttpResponseMessage response = await Client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends SIGTERM and waits for the exit; returns the exit code (134 is an abort: an unhandled exception).</summary>
    public async Task<int> StopAsync()
    {
        Assert.Equal(0, SendSignal(_process.Id, SIGTERM));
        using var bound = new CancellationTokenSource(s_generousBound);
        try
        {
            await _process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The host app did not exit within {s_generousBound.TotalSeconds} s of SIGTERM:\n{Output}");
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Polls livez, which never touches the HSM, so the order of first use stays the test's choice.</summary>
    private async Task WaitUntilListeningAsync()
    {
        DateTime giveUpAt = DateTime.UtcNow + s_generousBound;
        while (DateTime.UtcNow < giveUpAt)
        {
            Assert.False(_process.HasExited, $"The host app exited early:\n{Output}");
            try
            {
                if ((await GetAsync("/healthz/livez")).Status == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The host app did not listen within {s_generousBound.TotalSeconds} s:\n{Output}");
    }

    /// <summary>A port below the kernel's ephemeral range, so no outgoing connection of a parallel test takes it first.</summary>
    private static int FreeLoopbackPort()
    {
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            int port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }

        throw new InvalidOperationException("No free loopback port between 20000 and 31999.");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
