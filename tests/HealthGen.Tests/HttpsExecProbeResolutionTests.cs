using System;
using System.Collections.Generic;

namespace HealthGen.Tests;

/// <summary>The exec probe in HTTPS-only containers: where it looks, and whose certificate it verifies (docs/kubernetes.md).</summary>
public sealed class HttpsExecProbeResolutionTests
{
    [Theory]
    [InlineData("https://+:8443", null, null, "https://127.0.0.1:8443/healthz/livez")]
    [InlineData("https://localhost:8443;https://*:9443", null, null, "https://localhost:8443/healthz/livez")]
    [InlineData("https://+:8443;http://+:8080", null, null, "http://127.0.0.1:8080/healthz/livez")] // HTTP first when there is one
    [InlineData("https://+:8443", "8080", null, "https://127.0.0.1:8443/healthz/livez")] // with URLs set, the server ignores the ports
    [InlineData(null, null, "8443", "https://127.0.0.1:8443/healthz/livez")]
    [InlineData(null, "8080", "8443", "http://127.0.0.1:8080/healthz/livez")]
    [InlineData(null, null, "8443;9443", "https://127.0.0.1:8443/healthz/livez")]
    public void An_https_only_server_is_found_where_Kestrel_reads_it(string? urls, string? httpPorts, string? httpsPorts, string expected)
    {
        var environment = new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = urls, ["ASPNETCORE_HTTP_PORTS"] = httpPorts, ["ASPNETCORE_HTTPS_PORTS"] = httpsPorts };
        Assert.Equal(expected, HealthGenProbe.ResolveUrl("livez", name => environment.GetValueOrDefault(name)).ToString());
    }

    [Fact]
    public void The_unprefixed_variables_count_too()
    {
        var environment = new Dictionary<string, string?> { ["HTTPS_PORTS"] = "7443" };
        Assert.Equal("https://127.0.0.1:7443/healthz/readyz", HealthGenProbe.ResolveUrl("readyz", name => environment.GetValueOrDefault(name)).ToString());
    }

    [Theory]
    [InlineData("https://127.0.0.1:8443/healthz/livez")]
    [InlineData("https://127.9.8.7:8443/healthz/livez")]
    [InlineData("https://[::1]:8443/healthz/livez")]
    [InlineData("https://localhost:8443/healthz/livez")]
    [InlineData("https://LocalHost:8443/healthz/livez")]
    public void Its_own_process_on_loopback_is_not_asked_for_a_certificate(string url)
        => Assert.False(ProbeCertificatePolicy.VerifiesCertificateOf(new Uri(url)));

    [Theory]
    [InlineData("https://shop.example.test:8443/healthz/livez")] // even if it resolves to 127.0.0.1: the name is what the URL says
    [InlineData("https://10.1.2.3:8443/healthz/livez")]
    [InlineData("https://[fd00::1]:8443/healthz/livez")]
    [InlineData("https://localhost.example.com:8443/healthz/livez")]
    [InlineData("https://vm:8443/healthz/livez")]
    public void Any_other_host_is_verified_as_usual(string url)
        => Assert.True(ProbeCertificatePolicy.VerifiesCertificateOf(new Uri(url)));
}
