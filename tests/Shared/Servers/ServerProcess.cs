using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace HealthGen.Testing.Servers;

/// <summary>Runs the commands that set up and control real servers for tests, and finds free loopback ports.</summary>
internal static class ServerProcess
{
    public static bool IsRoot { get; } = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private static int s_nextPort = Random.Shared.Next(12_000);

    /// <summary>
    /// A free loopback port for a server to bind later. Chosen below the kernel's ephemeral range (32768 and
    /// up on Linux): a port from bind(0) comes from the range that outgoing connections use too, so a
    /// client socket of a test running in parallel could take it before the server binds.
    /// </summary>
    public static int FreeLoopbackPort()
    {
        for (int attempt = 0; attempt < 12_000; attempt++)
        {
            int port = 20_000 + (System.Threading.Interlocked.Increment(ref s_nextPort) % 12_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try the next one
            }
        }

        throw new InvalidOperationException("No free loopback port between 20000 and 31999.");
    }

    /// <summary>Runs a command to completion; a non-zero exit fails with the command's output.</summary>
    public static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        }

        return output;
    }

    /// <summary>Runs a command as <paramref name="user"/> when we are root (servers such as PostgreSQL refuse to run as root).</summary>
    public static Task<string> RunAsAsync(string user, string file, params string[] arguments)
        => IsRoot ? RunAsync("runuser", ["-u", user, "--", file, .. arguments]) : RunAsync(file, arguments);

    public static string Describe(string command, string package)
        => $"{command} was not found: install the Debian package '{package}' (./test.sh does) — the tests need a real server.";
}
