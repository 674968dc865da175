using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen;

/// <summary>
/// The application binary as its own exec probe, for images without curl or wget (chiseled, distroless):
/// <c>HEALTHCHECK CMD ["/app/Service", "probe", "livez"]</c>. Call it first thing in <c>Main</c>:
/// <code>if (HealthGenProbe.TryRun(args, out int exitCode)) return exitCode;</code>
/// It asks the running instance over loopback HTTP or HTTPS (or checks the files of <c>AddHealthGenFileProbe</c>),
/// prints one line and never starts a web host.
/// </summary>
/// <remarks>
/// <c>probe livez|readyz|startupz|resolversz|healthz|&lt;url&gt; [--timeout &lt;seconds&gt;]</c>: exit 0 on a 2xx
/// answer, 1 otherwise (including no answer within the timeout). The base address of a named probe is
/// <c>HEALTHGEN_PROBE_URL</c>, else the first http (or, in an HTTPS-only container, https) URL of
/// <c>ASPNETCORE_URLS</c>, else <c>ASPNETCORE_HTTP_PORTS</c> / <c>HTTP_PORTS</c>, else <c>ASPNETCORE_HTTPS_PORTS</c> /
/// <c>HTTPS_PORTS</c> on 127.0.0.1, else http://127.0.0.1:8080; the prefix is <c>HEALTHGEN_PROBE_PREFIX</c>
/// or /healthz. Like the kubelet's HTTPS probe, it does not verify the certificate of its own process on loopback
/// (127.0.0.1, ::1, localhost); any other host's is verified.
/// <c>probe file --liveness &lt;path&gt; --max-age &lt;seconds&gt;</c> / <c>probe file --readiness &lt;path&gt;</c>:
/// exit 0 when the liveness file was touched within max-age / the readiness file exists.
/// Bad arguments print the usage and exit 2.
/// </remarks>
public static class HealthGenProbe
{
    /// <summary>The default time to wait for an answer.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    internal const string Usage =
        "usage: probe livez|readyz|startupz|resolversz|healthz|<url> [--timeout <seconds>]\n" +
        "       probe file --liveness <path> --max-age <seconds>\n" +
        "       probe file --readiness <path>";

    /// <summary>
    /// Runs the probe when <paramref name="args"/> start with <c>probe</c>; returns <see langword="false"/>
    /// otherwise, and the application starts as usual.
    /// </summary>
    public static bool TryRun(string[] args, out int exitCode)
        => TryRun(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error, out exitCode);

    internal static bool TryRun(string[] args, Func<string, string?> environment, TextWriter output, TextWriter error, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || !string.Equals(args[0], "probe", StringComparison.Ordinal))
        {
            exitCode = 0;
            return false;
        }

        try
        {
            exitCode = args.Length > 1 && args[1] == "file"
                ? RunFileProbe(args, output, error)
                : RunHttpProbe(args, environment, output, error);
        }
        catch (ProbeUsageException usage)
        {
            error.WriteLine($"probe: {usage.Message}");
            error.WriteLine(Usage);
            exitCode = 2;
        }

        return true;
    }

    private static int RunHttpProbe(string[] args, Func<string, string?> environment, TextWriter output, TextWriter error)
    {
        if (args.Length < 2)
        {
            throw new ProbeUsageException("name a probe (livez, readyz, startupz, resolversz, healthz) or a URL");
        }

        TimeSpan timeout = DefaultTimeout;
        for (int i = 2; i < args.Length; i++)
        {
            if (args[i] == "--timeout" && i + 1 < args.Length)
            {
                timeout = ParseSeconds(args[++i], "--timeout");
            }
            else
            {
                throw new ProbeUsageException($"unexpected argument '{args[i]}'");
            }
        }

        Uri url = ResolveUrl(args[1], environment);
        // Blocking here is fine: this is a short-lived process with nothing else to do.
        return ProbeOverHttpAsync(url, timeout, output, error).GetAwaiter().GetResult();
    }

    internal static Uri ResolveUrl(string target, Func<string, string?> environment)
    {
        if (target.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(target, UriKind.Absolute, out Uri? explicitUrl) || (explicitUrl.Scheme != Uri.UriSchemeHttp && explicitUrl.Scheme != Uri.UriSchemeHttps))
            {
                throw new ProbeUsageException($"'{target}' is not an http:// or https:// URL");
            }

            return explicitUrl;
        }

        string path = target switch
        {
            "livez" or "readyz" or "startupz" or "resolversz" => "/" + target,
            "healthz" => "",
            _ => throw new ProbeUsageException($"unknown probe '{target}'"),
        };
        string prefix = (environment("HEALTHGEN_PROBE_PREFIX") ?? "/healthz").TrimEnd('/');
        return new Uri(BaseAddress(environment), prefix + path);
    }

    /// <summary>
    /// Where the running instance listens, from the same settings the server reads, in its order: the URLs
    /// (<c>ASPNETCORE_URLS</c>/<c>URLS</c>; when set, the server ignores the ports) — the first http one, else the first
    /// https one — then <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTP_PORTS</c>, then <c>ASPNETCORE_HTTPS_PORTS</c>/<c>HTTPS_PORTS</c>
    /// (an HTTPS-only container), each on 127.0.0.1; else http://127.0.0.1:8080.
    /// </summary>
    private static Uri BaseAddress(Func<string, string?> environment)
    {
        if (environment("HEALTHGEN_PROBE_URL") is { Length: > 0 } configured)
        {
            return Uri.TryCreate(configured, UriKind.Absolute, out Uri? url) ? url : throw new ProbeUsageException($"HEALTHGEN_PROBE_URL '{configured}' is not an absolute URL");
        }

        Uri? https = null;
        foreach (string candidate in (environment("ASPNETCORE_URLS") ?? environment("URLS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcards (*, +, 0.0.0.0, [::]) mean "every interface": the probe asks loopback.
            string local = candidate.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
            if (Uri.TryCreate(local, UriKind.Absolute, out Uri? url))
            {
                if (url.Scheme == Uri.UriSchemeHttp)
                {
                    return url;
                }

                if (url.Scheme == Uri.UriSchemeHttps)
                {
                    https ??= url;
                }
            }
        }

        if (https is not null)
        {
            return https;
        }

        if (FirstPort(environment("ASPNETCORE_HTTP_PORTS") ?? environment("HTTP_PORTS")) is { } httpPort)
        {
            return new Uri($"http://127.0.0.1:{httpPort}");
        }

        if (FirstPort(environment("ASPNETCORE_HTTPS_PORTS") ?? environment("HTTPS_PORTS")) is { } httpsPort)
        {
            return new Uri($"https://127.0.0.1:{httpsPort}");
        }

        return new Uri("http://127.0.0.1:8080");
    }

    private static int? FirstPort(string? ports)
        => ports is not null && int.TryParse(ports.Split(';', ',')[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and < 65536
            ? port
            : null;

    private static async Task<int> ProbeOverHttpAsync(Uri url, TimeSpan timeout, TextWriter output, TextWriter error)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = timeout, AllowAutoRedirect = false };
        // Its own process on loopback is not asked for a certificate it cannot have; any other host is verified.
        ProbeCertificatePolicy.Apply(handler, url);
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            using HttpResponseMessage response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            bool passed = status is >= 200 and < 300;
            output.WriteLine($"{(passed ? "OK" : "FAIL")} {status} {url} {OneLine(body)}");
            return passed ? 0 : 1;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            error.WriteLine($"FAIL no answer from {url} within {timeout.TotalSeconds:0.###} s");
            return 1;
        }
        catch (HttpRequestException exception)
        {
            error.WriteLine($"FAIL {url}: {exception.Message}");
            return 1;
        }
    }

    private static int RunFileProbe(string[] args, TextWriter output, TextWriter error)
    {
        string? liveness = null, readiness = null;
        TimeSpan? maxAge = null;
        for (int i = 2; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--liveness" when value is not null:
                    liveness = value;
                    i++;
                    break;
                case "--readiness" when value is not null:
                    readiness = value;
                    i++;
                    break;
                case "--max-age" when value is not null:
                    maxAge = ParseSeconds(value, "--max-age");
                    i++;
                    break;
                default:
                    throw new ProbeUsageException($"unexpected argument '{args[i]}'");
            }
        }

        if ((liveness is null) == (readiness is null))
        {
            throw new ProbeUsageException("give exactly one of --liveness <path> and --readiness <path>");
        }

        if (liveness is not null)
        {
            if (maxAge is null)
            {
                throw new ProbeUsageException("--liveness needs --max-age <seconds>");
            }

            var file = new FileInfo(liveness);
            if (!file.Exists)
            {
                error.WriteLine($"FAIL {liveness} does not exist");
                return 1;
            }

            TimeSpan age = DateTime.UtcNow - file.LastWriteTimeUtc;
            bool fresh = age <= maxAge.Value;
            (fresh ? output : error).WriteLine($"{(fresh ? "OK" : "FAIL")} {liveness} touched {Math.Max(0, age.TotalSeconds):0.#} s ago (max {maxAge.Value.TotalSeconds:0.#} s)");
            return fresh ? 0 : 1;
        }

        if (maxAge is not null)
        {
            throw new ProbeUsageException("--max-age goes with --liveness");
        }

        bool ready = File.Exists(readiness);
        (ready ? output : error).WriteLine($"{(ready ? "OK" : "FAIL")} {readiness} {(ready ? "exists" : "does not exist")}");
        return ready ? 0 : 1;
    }

    private static TimeSpan ParseSeconds(string value, string option)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && seconds <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new ProbeUsageException($"{option} takes a number of seconds greater than 0 (was '{value}')");

    private static string OneLine(string body)
    {
        string line = body.ReplaceLineEndings(" ").Trim();
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
