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

    private PostgresServer(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    public static async Task<PostgresServer> StartAsync()
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

        var server = new PostgresServer(bin, directory, ServerProcess.FreeLoopbackPort());
        await ServerProcess.RunAsAsync("postgres", Path.Combine(bin, "initdb"),
            "-D", server.DataDirectory, "-A", "scram-sha-256", "-U", "postgres", "--pwfile", Path.Combine(directory, "pwfile"), "-E", "UTF8", "--no-sync");
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the (stopped) server again on the same port.</summary>
    public Task StartAgainAsync()
        => ServerProcess.RunAsAsync("postgres", Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start");

    /// <summary>A clean fast shutdown (connections are terminated).</summary>
    public Task StopAsync()
        => ServerProcess.RunAsAsync("postgres", Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");

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
