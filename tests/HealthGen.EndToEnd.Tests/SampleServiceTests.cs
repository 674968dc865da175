using System.Net;
using System.Threading.Tasks;
using HealthGen.Testing;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// Runs the sample service the README tells newcomers to run, as its own process, and checks that it
/// answers every probe with the documented bodies on its embedded defaults.
/// </summary>
public sealed class SampleServiceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the native-AOT binary
    public async Task The_sample_serves_every_probe_on_its_embedded_defaults(bool native)
    {
        await using AppProcess sample = await SampleProcess.StartAsync(native: native);

        Assert.Equal((HttpStatusCode.OK, """{"status":"OK"}"""), await sample.GetAsync("/healthz/livez"));
        Assert.Equal((HttpStatusCode.OK, """{"status":"ready","queue":"OK"}"""), await sample.GetAsync("/healthz/readyz"));
        Assert.Equal((HttpStatusCode.OK, """{"status":"ready","queue":"OK"}"""), await sample.GetAsync("/healthz"));
        Assert.Equal((HttpStatusCode.OK, """{"status":"started"}"""), await sample.GetAsync("/healthz/startupz"));
        Assert.Equal((HttpStatusCode.OK, """{"status":"ready","sqlresolver":{"sqlresolver1":"OK"}}"""), await sample.GetAsync("/healthz/resolversz"));
        Assert.Equal((HttpStatusCode.OK, """{"status":"OK"}"""), await sample.GetAsync("/healthz/readyz/queue"));
        Assert.Equal(HttpStatusCode.NotFound, (await sample.GetAsync("/healthz/readyz/database")).Status); // not configured: switched off
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_binary_is_its_own_exec_probe_and_fails_when_the_service_is_gone(bool native)
    {
        var environment = new System.Collections.Generic.Dictionary<string, string>();
        int port;
        await using (AppProcess sample = await SampleProcess.StartAsync(native: native))
        {
            port = sample.Port;
            environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            foreach (string probe in new[] { "livez", "readyz", "startupz" })
            {
                (int exitCode, string output) = await SampleProcess.RunExecProbeAsync(native, environment, probe);
                Assert.True(exitCode == 0, output);
                Assert.StartsWith($"OK 200 http://127.0.0.1:{port}/healthz/{probe}", output, System.StringComparison.Ordinal);
                Assert.Single(output.TrimEnd().Split('\n'));
            }
        }

        (int stopped, string message) = await SampleProcess.RunExecProbeAsync(native, environment, "livez", "--timeout", "2");
        Assert.Equal(1, stopped);
        Assert.StartsWith("FAIL", message, System.StringComparison.Ordinal);
        Assert.Equal(2, (await SampleProcess.RunExecProbeAsync(native, environment, "nonsense")).ExitCode);
    }
}
