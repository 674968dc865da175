using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;

namespace HealthGen.EndToEnd.Tests;

/// <summary>The built sample running as its own process on a free loopback port, as a newcomer runs it.</summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleProcess(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

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

    public static async Task<SampleProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        string sampleDll = Path.Combine(AppContext.BaseDirectory, "sample", "HealthGen.Sample.dll");
        Assert.True(File.Exists(sampleDll), $"The sample was not built next to the tests: {sampleDll}");
        int port = HealthGen.Testing.Servers.ServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { sampleDll, "--urls", $"http://127.0.0.1:{port}" },
            WorkingDirectory = Path.GetDirectoryName(sampleDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // These tests are about what the sample answers, not about timeouts: a cold process on a loaded
        // machine must not turn a first SQLite open or database connection into a timeout.
        start.Environment["HealthGen__DefaultTimeoutMs"] = "10000";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var sample = new SampleProcess(Process.Start(start)!, port);
        sample._process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        sample._process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
        sample._process.BeginOutputReadLine();
        sample._process.BeginErrorReadLine();
        await sample.WaitUntilStartedAsync();
        return sample;
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

    /// <summary>Polls startupz until the warm-up finished; a generous bound turns a broken sample into a failure, not a hang.</summary>
    private async Task WaitUntilStartedAsync()
    {
        DateTime giveUpAt = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < giveUpAt)
        {
            Assert.False(_process.HasExited, $"The sample exited early:\n{Output}");
            try
            {
                if ((await GetAsync("/healthz/startupz")).Status == HttpStatusCode.OK)
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

        Assert.Fail($"The sample did not report started within 60 s:\n{Output}");
    }
}
