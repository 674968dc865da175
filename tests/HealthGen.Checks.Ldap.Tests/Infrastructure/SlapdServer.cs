using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Checks.Ldap.Tests.Infrastructure;

/// <summary>What TLS a test directory offers.</summary>
internal enum SlapdTls
{
    /// <summary>Plain LDAP only; StartTLS is refused ("unsupported extended operation").</summary>
    None,

    /// <summary>StartTLS on the ldap:// port and an ldaps:// port, with a self-signed certificate.</summary>
    Offered,

    /// <summary>As <see cref="Offered"/>, and every operation, bind included, needs TLS (<c>security tls=1</c>).</summary>
    Required,
}

/// <summary>
/// A real OpenLDAP slapd on loopback, in a temp directory of its own: an mdb database with the suffix
/// dc=example,dc=org and the root DN cn=admin,dc=example,dc=org (password random per server). Runs in the
/// foreground (<c>-d 0</c>) as a child process that is killed by PID to stop it; it can be restarted on the
/// same ports. A missing slapd is a failure, never a skip: CI must not go green without the server.
/// </summary>
internal sealed class SlapdServer : IAsyncDisposable
{
    public const string Suffix = "dc=example,dc=org";
    public const string AdminDn = "cn=admin,dc=example,dc=org";

    private const string SchemaDirectory = "/etc/ldap/schema";
    private const string ModuleDirectory = "/usr/lib/ldap";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);
    private static readonly HashSet<Process> s_running = [];

    private readonly string _slapd;
    private readonly string _directory;
    private readonly string _configPath;
    private readonly StringBuilder _log = new();
    private Process? _process;

    static SlapdServer()
    {
        // Last resort if a test run is torn down without disposing its servers.
        AppDomain.CurrentDomain.ProcessExit += static (_, _) =>
        {
            lock (s_running)
            {
                foreach (Process process in s_running)
                {
                    TryKill(process);
                }
            }
        };
    }

    private SlapdServer(string slapd, string directory, SlapdTls tls, int port, int ldapsPort)
    {
        _slapd = slapd;
        _directory = directory;
        Tls = tls;
        Port = port;
        LdapsPort = ldapsPort;
        AdminPassword = "pw-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        _configPath = Path.Combine(directory, "slapd.conf");
        TrustedCertificatesDirectory = Path.Combine(directory, "trusted");
    }

    public SlapdTls Tls { get; }

    public int Port { get; }

    /// <summary>0 when the server offers no TLS.</summary>
    public int LdapsPort { get; }

    public string AdminPassword { get; }

    public string Url => $"ldap://127.0.0.1:{Port}";

    public string LdapsUrl => Tls == SlapdTls.None ? throw new InvalidOperationException("This server offers no ldaps:// port.") : $"ldaps://127.0.0.1:{LdapsPort}";

    /// <summary>Holds the server's self-signed certificate (PEM) when it offers TLS.</summary>
    public string TrustedCertificatesDirectory { get; }

    public static async Task<SlapdServer> StartAsync(SlapdTls tls = SlapdTls.None)
    {
        string slapd = FindSlapd();
        for (int attempt = 1; ; attempt++)
        {
            string directory = Directory.CreateTempSubdirectory("healthgen-slapd-").FullName;
            var server = new SlapdServer(slapd, directory, tls, FreePort(), tls == SlapdTls.None ? 0 : FreePort());
            try
            {
                server.WriteConfiguration();
                await server.StartProcessAsync();
                return server;
            }
            catch (SlapdStartException) when (attempt < 3)
            {
                // Most likely another process took the free port between probing and slapd's bind: new ports.
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Kills slapd (by PID) and waits until it is gone; the port then refuses connections.</summary>
    public void Stop()
    {
        Process? process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        TryKill(process);
        process.WaitForExit();
        lock (s_running)
        {
            s_running.Remove(process);
        }

        process.Dispose();
    }

    /// <summary>Starts slapd again on the same ports and database.</summary>
    public Task RestartAsync()
    {
        Stop();
        return StartProcessAsync();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind must not fail the test that used it.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static string FindSlapd()
    {
        var candidates = new List<string> { "/usr/sbin/slapd", "/usr/local/sbin/slapd", "/usr/libexec/slapd" };
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(Path.Combine(directory, "slapd"));
        }

        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "OpenLDAP's slapd is not installed (looked in /usr/sbin, /usr/local/sbin, /usr/libexec and PATH). "
            + "The LDAP check tests need a real server: install it with 'apt-get install -y slapd ldap-utils' (test.sh and CI do).");
    }

    private static int FreePort() => HealthGen.Testing.Servers.ServerProcess.FreeLoopbackPort();

    private void WriteConfiguration()
    {
        string data = Path.Combine(_directory, "data");
        Directory.CreateDirectory(data);
        var config = new StringBuilder()
            .AppendLine($"include {SchemaDirectory}/core.schema")
            .AppendLine($"modulepath {ModuleDirectory}")
            .AppendLine("moduleload back_mdb")
            .AppendLine($"pidfile {Path.Combine(_directory, "slapd.pid")}")
            .AppendLine($"argsfile {Path.Combine(_directory, "slapd.args")}");

        if (Tls != SlapdTls.None)
        {
            (string certificate, string key) = TestCertificate.Write(_directory, TrustedCertificatesDirectory);
            config.AppendLine($"TLSCertificateFile {certificate}")
                .AppendLine($"TLSCertificateKeyFile {key}");
            if (Tls == SlapdTls.Required)
            {
                config.AppendLine("security tls=1");
            }
        }

        config.AppendLine("database mdb")
            .AppendLine($"directory {data}")
            .AppendLine("maxsize 16777216")
            .AppendLine($"suffix \"{Suffix}\"")
            .AppendLine($"rootdn \"{AdminDn}\"")
            .AppendLine($"rootpw {AdminPassword}");
        File.WriteAllText(_configPath, config.ToString());
    }

    private async Task StartProcessAsync()
    {
        string urls = Tls == SlapdTls.None ? $"ldap://127.0.0.1:{Port}/" : $"ldap://127.0.0.1:{Port}/ ldaps://127.0.0.1:{LdapsPort}/";
        var start = new ProcessStartInfo(_slapd)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-f", _configPath, "-h", urls, "-d", "0" },
        };

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.Start();
        lock (s_running)
        {
            s_running.Add(process);
        }

        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Bounded polling until slapd accepts connections on every port it serves.
        Stopwatch waited = Stopwatch.StartNew();
        while (!await AcceptsAsync(Port) || (LdapsPort != 0 && !await AcceptsAsync(LdapsPort)))
        {
            if (process.HasExited)
            {
                int exitCode = process.ExitCode;
                process.WaitForExit(); // drains the redirected output into the log
                Stop();
                throw new SlapdStartException($"slapd exited with code {exitCode} before accepting connections on port {Port}:{Environment.NewLine}{ReadLog()}");
            }

            if (waited.Elapsed > s_startTimeout)
            {
                string log = ReadLog();
                Stop();
                throw new InvalidOperationException($"slapd did not accept connections on port {Port} within {s_startTimeout.TotalSeconds} s:{Environment.NewLine}{log}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellation.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 64 * 1024)
            {
                _log.AppendLine(line);
            }
        }
    }

    private string ReadLog()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private sealed class SlapdStartException(string message) : Exception(message);
}
