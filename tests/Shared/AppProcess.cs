using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace HealthGen.Testing;

/// <summary>
/// An application under test running as its own process on a loopback port, as it runs in a container: its
/// output kept for failure messages, ready once a path answers 200, stopped with SIGTERM the way Kubernetes stops
/// a pod (<see cref="StopAsync"/>), killed if it is still running at the end.
/// </summary>
internal sealed partial class AppProcess : IAsyncDisposable
{
    private const int SIGTERM = 15;

    /// <summary>How long starting and stopping may take: generous, so a broken application fails instead of hanging a test.</summary>
    private static readonly TimeSpan s_generousBound = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _name;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, string name, int port)
    {
        _process = process;
        _name = name;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = s_generousBound };
    }

    /// <summary>A client for the application's address.</summary>
    public HttpClient Client { get; }

    public int Port { get; }

    /// <summary>The process id (to read <c>/proc/{id}</c>).</summary>
    public int Id => _process.Id;

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

    /// <summary>
    /// Starts <paramref name="start"/> (its output is redirected here) and waits until <paramref name="readyPath"/>
    /// answers 200 on <paramref name="port"/>, which the start info must make the application listen on.
    /// </summary>
    /// <param name="name">What the application is, for failure messages ("the sample").</param>
    public static async Task<AppProcess> StartAsync(ProcessStartInfo start, int port, string readyPath, string name)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var app = new AppProcess(Process.Start(start)!, name, port);
        app._process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        await app.WaitUntilAnsweringAsync(readyPath);
        return app;
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        using HttpResponseMessage response = await Client.SendAsync(request);
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
            Assert.Fail($"{_name} did not exit within {s_generousBound.TotalSeconds} s of SIGTERM:\n{Output}");
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
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilAnsweringAsync(string path)
    {
        DateTime giveUpAt = DateTime.UtcNow + s_generousBound;
        while (DateTime.UtcNow < giveUpAt)
        {
            Assert.False(_process.HasExited, $"{_name} exited early:\n{Output}");
            try
            {
                if ((await GetAsync(path)).Status == HttpStatusCode.OK)
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

        Assert.Fail($"{_name} did not answer 200 on {path} within {s_generousBound.TotalSeconds} s:\n{Output}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
