using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// Runs the sample service the README tells newcomers to run, as its own process, and checks that it
/// answers every probe with the documented bodies on its embedded defaults.
/// </summary>
public sealed class SampleServiceTests
{
    [Fact]
    public async Task The_sample_serves_every_probe_on_its_embedded_defaults()
    {
        string sampleDll = Path.Combine(AppContext.BaseDirectory, "sample", "HealthGen.Sample.dll");
        Assert.True(File.Exists(sampleDll), $"The sample was not built next to the tests: {sampleDll}");
        int port = FreeLoopbackPort();

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { sampleDll, "--urls", $"http://127.0.0.1:{port}" },
            WorkingDirectory = Path.GetDirectoryName(sampleDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process sample = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        sample.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        sample.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        sample.BeginOutputReadLine();
        sample.BeginErrorReadLine();

        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitUntilStartedAsync(client, sample, output);

            await AssertReply(client, "/healthz/livez", HttpStatusCode.OK, """{"status":"OK"}""");
            await AssertReply(client, "/healthz/readyz", HttpStatusCode.OK, """{"status":"ready","queue":"OK"}""");
            await AssertReply(client, "/healthz", HttpStatusCode.OK, """{"status":"ready","queue":"OK"}""");
            await AssertReply(client, "/healthz/startupz", HttpStatusCode.OK, """{"status":"started"}""");
            await AssertReply(client, "/healthz/resolversz", HttpStatusCode.OK, """{"status":"ready","sqlresolver":{"sqlresolver1":"OK"}}""");
            await AssertReply(client, "/healthz/readyz/queue", HttpStatusCode.OK, """{"status":"OK"}""");
        }
        finally
        {
            sample.Kill(entireProcessTree: true);
            await sample.WaitForExitAsync();
        }
    }

    /// <summary>Polls startupz until the warm-up finished; a generous bound turns a broken sample into a failure, not a hang.</summary>
    private static async Task WaitUntilStartedAsync(HttpClient client, Process sample, System.Text.StringBuilder output)
    {
        DateTime giveUpAt = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < giveUpAt)
        {
            Assert.False(sample.HasExited, $"The sample exited early:\n{output}");
            try
            {
                using HttpResponseMessage response = await client.GetAsync("/healthz/startupz");
                if (response.StatusCode == HttpStatusCode.OK)
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

        Assert.Fail($"The sample did not report started within 60 s:\n{output}");
    }

    private static async Task AssertReply(HttpClient client, string path, HttpStatusCode status, string body)
    {
        using HttpResponseMessage response = await client.GetAsync(path);
        string actual = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status && actual == body, $"GET {path}: expected {(int)status} {body}, got {(int)response.StatusCode} {actual}");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
