using System.Net;
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
        await using SampleProcess sample = await SampleProcess.StartAsync();

        Assert.Equal((HttpStatusCode.OK, """{"status":"OK"}"""), await sample.GetAsync("/healthz/livez"));
        Assert.Equal((HttpStatusCode.OK, """{"status":"ready","queue":"OK"}"""), await sample.GetAsync("/healthz/readyz"));
        Assert.Equal((HttpStatusCode.OK, """{"status":"ready","queue":"OK"}"""), await sample.GetAsync("/healthz"));
        Assert.Equal((HttpStatusCode.OK, """{"status":"started"}"""), await sample.GetAsync("/healthz/startupz"));
        Assert.Equal((HttpStatusCode.OK, """{"status":"ready","sqlresolver":{"sqlresolver1":"OK"}}"""), await sample.GetAsync("/healthz/resolversz"));
        Assert.Equal((HttpStatusCode.OK, """{"status":"OK"}"""), await sample.GetAsync("/healthz/readyz/queue"));
        Assert.Equal(HttpStatusCode.NotFound, (await sample.GetAsync("/healthz/readyz/database")).Status); // not configured: switched off
    }
}
