using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;

namespace HealthGen.Testing.Servers;

/// <summary>
/// A real PostgreSQL cluster for one test class: initdb in a temp directory (SCRAM passwords, so wrong
/// passwords fail like in production), started with pg_ctl on a free loopback port, stoppable and
/// restartable on the same port, removed at the end.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    public const string SuperuserPassword = "pg-Secret-7f3a9";

    private readonly string _bin;
    private readonly string _directory;

    private readonly string _settings;

    private PostgresServer(string bin, string directory, int port, string settings)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
        _settings = settings;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <param name="countStatements">
    /// Loads pg_stat_statements (and creates the extension in <c>postgres</c>), so a test can ask PostgreSQL itself how
    /// often a query ran (<see cref="StatementCallsAsync"/>).
    /// </param>
    public static async Task<PostgresServer> StartAsync(bool countStatements = false)
    {
        string bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault() ?? ""
            : "";
        if (bin.Length == 0)
        {
            throw new InvalidOperationException(ServerProcess.Describe("PostgreSQL's initdb (/usr/lib/postgresql/*/bin)", "postgresql"));
        }

        string directory = Directory.CreateTempSubdirectory("healthgen-pg-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "pwfile"), SuperuserPassword);
        if (ServerProcess.IsRoot)
        {
            await ServerProcess.RunAsync("chown", "-R", "postgres:postgres", directory);
        }

        var server = new PostgresServer(bin, directory, ServerProcess.FreeLoopbackPort(), countStatements ? " -c shared_preload_libraries=pg_stat_statements" : "");
        await ServerProcess.RunAsAsync("postgres", Path.Combine(bin, "initdb"),
            "-D", server.DataDirectory, "-A", "scram-sha-256", "-U", "postgres", "--pwfile", Path.Combine(directory, "pwfile"), "-E", "UTF8", "--no-sync");
        await server.StartAgainAsync();
        if (countStatements)
        {
            await server.ExecuteAsync("CREATE EXTENSION pg_stat_statements");
        }

        return server;
    }

    /// <summary>How often PostgreSQL ran statements whose normalized text is <paramref name="query"/> (pg_stat_statements, see <see cref="StartAsync"/>).</summary>
    public async Task<long> StatementCallsAsync(string query)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE query = @query", connection);
        command.Parameters.AddWithValue("query", query);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Starts the (stopped) server again on the same port.</summary>
    public async Task StartAgainAsync()
    {
        try
        {
            await ServerProcess.RunAsAsync("postgres", Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
                "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off{_settings}", "start");
        }
        catch (InvalidOperationException failure)
        {
            string log = File.Exists(Path.Combine(_directory, "server.log")) ? File.ReadAllText(Path.Combine(_directory, "server.log")) : "(no server.log)";
            throw new InvalidOperationException($"{failure.Message}\nserver.log:\n{log[Math.Max(0, log.Length - 2000)..]}", failure);
        }
    }

    /// <summary>A clean fast shutdown (connections are terminated).</summary>
    public Task StopAsync()
        => ServerProcess.RunAsAsync("postgres", Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");

    /// <summary>
    /// Kills the postmaster and its backends with SIGKILL, as a node failure or the OOM killer of a container
    /// would (surviving backends would keep the shared memory and stop a restart).
    /// </summary>
    public async Task KillAsync()
    {
        string pid = (await File.ReadAllLinesAsync(Path.Combine(DataDirectory, "postmaster.pid")))[0].Trim();
        string children = await ServerProcess.RunAsync("sh", "-c", $"pgrep -P {pid} || true");
        await ServerProcess.RunAsync("kill", ["-9", pid, .. children.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);
        // The backends notice their postmaster is gone and exit; wait until the port no longer accepts.
        for (int i = 0; i < 500; i++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
            }
            catch (System.Net.Sockets.SocketException)
            {
                // A killed postmaster leaves its pid file and socket lock behind; where nothing reaps the killed
                // process (this sandbox), the lock's PID even looks alive. A restarted pod starts with a fresh
                // socket directory: so does this restart.
                File.Delete(Path.Combine(DataDirectory, "postmaster.pid"));
                File.Delete(Path.Combine(_directory, $".s.PGSQL.{Port}.lock"));
                File.Delete(Path.Combine(_directory, $".s.PGSQL.{Port}"));
                return;
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException("PostgreSQL still accepts connections after SIGKILL.");
    }

    public string ConnectionString(string database = "postgres", string user = "postgres", string password = SuperuserPassword)
        => new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Database = database,
            Username = user,
            Password = password,
            Timeout = 5,
        }.ConnectionString;

    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ServerProcess.RunAsAsync("postgres", Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }

        Directory.Delete(_directory, recursive: true);
    }
}
