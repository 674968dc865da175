using System.Threading.Tasks;
using HealthGen.Testing.Servers;

namespace HealthGen.Checks.Npgsql.Tests;

/// <summary>One PostgreSQL cluster per test class, with an application database and login.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string AppPassword = "app-Pass-91c2";

    internal PostgresServer Server { get; private set; } = null!;

    public string AppConnectionString(string password = AppPassword) => Server.ConnectionString("app", "app", password);

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.StartAsync();
        await Server.ExecuteAsync($"CREATE ROLE app LOGIN PASSWORD '{AppPassword}'");
        await Server.ExecuteAsync("CREATE DATABASE app OWNER app");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
