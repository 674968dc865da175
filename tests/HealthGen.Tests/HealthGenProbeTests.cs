using System;
using System.Collections.Generic;
using System.IO;

namespace HealthGen.Tests;

public sealed class HealthGenProbeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("healthgen-probe-").FullName;

    [Fact]
    public void Without_the_probe_verb_the_application_runs()
    {
        Assert.False(Run(["--urls", "http://127.0.0.1:8080"], out _, out _, out _));
        Assert.False(Run([], out _, out _, out _));
    }

    [Theory]
    [InlineData(new[] { "probe" }, "name a probe")]
    [InlineData(new[] { "probe", "nosuchprobe" }, "unknown probe")]
    [InlineData(new[] { "probe", "livez", "--timeout" }, "unexpected argument")]
    [InlineData(new[] { "probe", "livez", "--timeout", "-1" }, "--timeout takes")]
    [InlineData(new[] { "probe", "livez", "--timeout", "abc" }, "--timeout takes")]
    [InlineData(new[] { "probe", "ftp://host/x" }, "not an http")]
    [InlineData(new[] { "probe", "file" }, "exactly one of")]
    [InlineData(new[] { "probe", "file", "--liveness", "/x" }, "needs --max-age")]
    [InlineData(new[] { "probe", "file", "--readiness", "/x", "--max-age", "3" }, "--max-age goes with --liveness")]
    [InlineData(new[] { "probe", "file", "--liveness", "/a", "--readiness", "/b", "--max-age", "3" }, "exactly one of")]
    public void Bad_arguments_print_a_clear_message_and_the_usage_and_exit_2(string[] args, string message)
    {
        Assert.True(Run(args, out int exitCode, out _, out string error));
        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("usage: probe", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, null, "http://127.0.0.1:8080/healthz/livez")]
    [InlineData("http://+:5000;https://+:5001", null, null, "http://127.0.0.1:5000/healthz/livez")]
    [InlineData("https://*:5001;http://0.0.0.0:7000", null, null, "http://127.0.0.1:7000/healthz/livez")]
    [InlineData(null, "8081", null, "http://127.0.0.1:8081/healthz/livez")]
    [InlineData(null, null, "http://10.1.2.3:9000", "http://10.1.2.3:9000/healthz/livez")]
    public void Named_probes_ask_where_Kestrel_listens(string? urls, string? ports, string? explicitBase, string expected)
    {
        var environment = new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = urls, ["ASPNETCORE_HTTP_PORTS"] = ports, ["HEALTHGEN_PROBE_URL"] = explicitBase };
        Assert.Equal(expected, HealthGenProbe.ResolveUrl("livez", name => environment.GetValueOrDefault(name)).ToString());
    }

    [Fact]
    public void The_prefix_and_the_overall_probe_follow_HEALTHGEN_PROBE_PREFIX()
    {
        var environment = new Dictionary<string, string?> { ["HEALTHGEN_PROBE_PREFIX"] = "/_health/" };
        Assert.Equal("http://127.0.0.1:8080/_health", HealthGenProbe.ResolveUrl("healthz", name => environment.GetValueOrDefault(name)).ToString());
        Assert.Equal("http://127.0.0.1:8080/_health/readyz", HealthGenProbe.ResolveUrl("readyz", name => environment.GetValueOrDefault(name)).ToString());
    }

    [Fact]
    public void The_liveness_file_must_be_fresh_and_the_readiness_file_present()
    {
        string liveness = Path.Combine(_directory, "alive");
        string readiness = Path.Combine(_directory, "ready");

        Assert.True(Run(["probe", "file", "--liveness", liveness, "--max-age", "30"], out int missing, out _, out _));
        Assert.Equal(1, missing);

        File.WriteAllBytes(liveness, []);
        Assert.True(Run(["probe", "file", "--liveness", liveness, "--max-age", "30"], out int fresh, out string output, out _));
        Assert.Equal(0, fresh);
        Assert.StartsWith("OK", output, StringComparison.Ordinal);

        File.SetLastWriteTimeUtc(liveness, DateTime.UtcNow.AddMinutes(-5));
        Assert.True(Run(["probe", "file", "--liveness", liveness, "--max-age", "30"], out int stale, out _, out string error));
        Assert.Equal(1, stale);
        Assert.StartsWith("FAIL", error, StringComparison.Ordinal);

        Assert.True(Run(["probe", "file", "--readiness", readiness], out int notReady, out _, out _));
        File.WriteAllBytes(readiness, []);
        Assert.True(Run(["probe", "file", "--readiness", readiness], out int ready, out _, out _));
        Assert.Equal((1, 0), (notReady, ready));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static bool Run(string[] args, out int exitCode, out string output, out string error)
    {
        using var outWriter = new StringWriter();
        using var errorWriter = new StringWriter();
        bool ran = HealthGenProbe.TryRun(args, _ => null, outWriter, errorWriter, out exitCode);
        output = outWriter.ToString();
        error = errorWriter.ToString();
        return ran;
    }
}
