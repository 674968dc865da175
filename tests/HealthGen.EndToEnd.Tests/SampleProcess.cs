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

    /// <summary>The native-AOT binary that test.sh publishes (dotnet publish -c Release -r linux-x64 -f net10.0 -o artifacts/aot).</summary>
    public static string NativeBinary => HealthGen.Testing.RepositoryPaths.Combine("artifacts", "aot", "HealthGen.Sample");

    public int Port { get; private init; }

    public static async Task<SampleProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null, bool native = false)
    {
        int port = HealthGen.Testing.Servers.ServerProcess.FreeLoopbackPort();
        ProcessStartInfo start = CreateStartInfo(native, "--urls", $"http://127.0.0.1:{port}");
        // These tests are about what the sample answers, not about timeouts: a cold process on a loaded
        // machine must not turn a first SQLite open or database connection into a timeout.
        start.Environment["HealthGen__DefaultTimeoutMs"] = "10000";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var sample = new SampleProcess(Process.Start(start)!, port) { Port = port };
        sample._process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        sample._process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
        sample._process.BeginOutputReadLine();
        sample._process.BeginErrorReadLine();
        await sample.WaitUntilStartedAsync();
        return sample;
    }

    /// <summary>How to start the sample: the managed build copied next to the tests, or the native binary.</summary>
    public static ProcessStartInfo CreateStartInfo(bool native, params string[] arguments)
    {
        string program;
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true };
        if (native)
        {
            program = NativeBinary;
            Assert.True(File.Exists(program), $"The native sample is not published at {program}: run ./test.sh, or dotnet publish samples/HealthGen.Sample -c Release -r linux-x64 -f net10.0 -o artifacts/aot");
            start.FileName = program;
        }
        else
        {
            program = Path.Combine(AppContext.BaseDirectory, "sample", "HealthGen.Sample.dll");
            Assert.True(File.Exists(program), $"The sample was not built next to the tests: {program}");
            start.FileName = "dotnet";
            start.ArgumentList.Add(program);
        }

        start.WorkingDirectory = Path.GetDirectoryName(program)!;
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Runs <c>HealthGen.Sample probe …</c> as its own process, as a container's HEALTHCHECK does.</summary>
    public static async Task<(int ExitCode, string Output)> RunExecProbeAsync(bool native, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        ProcessStartInfo start = CreateStartInfo(native, ["probe", .. arguments]);
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
