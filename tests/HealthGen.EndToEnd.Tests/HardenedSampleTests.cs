using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthGen.Testing;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// The sample (CreateSlimBuilder; managed and native AOT) hardened by configuration alone, <c>AllowedHosts</c>
/// set to its public name as an operator would: the kubelet and the binary's own exec probe still get 200.
/// </summary>
public sealed class HardenedSampleTests
{
    private const string Token = "sample-details-token-41c2";

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the native-AOT binary
    public async Task The_sample_with_AllowedHosts_answers_the_kubelet_and_its_own_exec_probe(bool native)
    {
        var environment = new Dictionary<string, string> { ["AllowedHosts"] = HardenedApp.PublicName, ["Health__Token"] = Token };
        // StartAsync waits for startupz with Host 127.0.0.1:port: the exec probe's request.
        await using AppProcess sample = await SampleProcess.StartAsync(environment, native);

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (string path in new[] { "/healthz", "/healthz/livez", "/healthz/readyz", "/healthz/startupz", "/healthz/resolversz", "/healthz/readyz/queue" })
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, sample.Port, path, HardenedApp.PodHost));
        }

        foreach (string probe in new[] { "livez", "readyz", "startupz", "resolversz" })
        {
            (int exitCode, string output) = await SampleProcess.RunExecProbeAsync(
                native, new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{sample.Port}" }, probe);
            Assert.True(exitCode == 0, output);
        }

        // The host filtering is on: everything that is not a probe still refuses a foreign Host.
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, sample.Port, "/nonsense", HardenedApp.PodHost));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, sample.Port, "/healthz/details", $"127.0.0.1:{sample.Port}", Token));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, sample.Port, "/healthz/details", HardenedApp.PublicName, Token));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, int port, string path, string host, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
        request.Headers.Host = host;
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        using HttpResponseMessage response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
