using System.Threading.Tasks;
using HealthGen.Generators.Analyzers;
using HealthGen.Generators.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;

namespace HealthGen.Generators.Tests.Analyzers;

public sealed class LivenessExternalDependencyAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using HealthGen;
        using Npgsql;

        """;

    [Fact]
    public async Task A_parameter_of_a_dependency_type_is_reported()
    {
        await Verify("""
            public static class Probes
            {
                [{|#0:LivenessCheck|}]
                public static bool Process(NpgsqlDataSource db) => true;
            }
            """,
            Reported(0, "process", "NpgsqlDataSource (parameter 'db')", "Probes.Process"));
    }

    [Fact]
    public async Task Opening_a_connection_in_the_body_is_reported()
    {
        await Verify("""
            public static class Probes
            {
                [{|#0:LivenessCheck|}("db_ping")]
                public static async Task<bool> Process(CancellationToken ct)
                {
                    await using var connection = new NpgsqlConnection("Host=localhost");
                    await connection.OpenAsync(ct);
                    return true;
                }
            }
            """,
            Reported(0, "db_ping", "new NpgsqlConnection", "Probes.Process"));
    }

    [Fact]
    public async Task Two_calls_deep_names_the_path()
    {
        // Open calls Connection(), which is in source but touches nothing itself; OpenAsync on its result is the dependency.
        await Verify("""
            public static class Probes
            {
                [{|#0:LivenessCheck|}]
                public static Task<bool> Process(CancellationToken ct) => Db.Ping(ct);
            }

            public static class Db
            {
                public static NpgsqlConnection? Shared;

                public static async Task<bool> Ping(CancellationToken ct)
                {
                    await Open(ct);
                    return true;
                }

                private static Task Open(CancellationToken ct) => Connection().OpenAsync(ct);

                private static NpgsqlConnection Connection() => null!;
            }
            """,
            Reported(0, "process", "NpgsqlConnection.OpenAsync", "Probes.Process → Db.Ping → Db.Open"));
    }

    [Fact]
    public async Task Three_calls_deep_through_instance_methods_and_constructors()
    {
        await Verify("""
            public sealed class Probes
            {
                [{|#0:LivenessCheck|}]
                public bool Process() => new Facade().Check();
            }

            public sealed class Facade
            {
                public bool Check() => new Repository().Exists();
            }

            public sealed class Repository
            {
                public bool Exists() => Client.Get();
            }

            public static class Client
            {
                private static readonly HttpClient Http = new();
                public static bool Get() => Http.GetAsync("http://example").Result.IsSuccessStatusCode;
            }
            """,
            Reported(0, "process", "HttpClient.GetAsync", "Probes.Process → Facade.Check → Repository.Exists → Client.Get"));
    }

    [Fact]
    public async Task Recursion_terminates_and_still_finds_the_dependency()
    {
        await Verify("""
            public static class Probes
            {
                [LivenessCheck]
                public static bool Process() => Ping(3);

                private static bool Ping(int n) => n > 0 ? Pong(n - 1) : true;

                private static bool Pong(int n) => Ping(n);
            }

            public static class Cycles
            {
                [[|LivenessCheck|]]
                public static bool Looping() => A(2);

                private static bool A(int n) => n == 0 ? System.Net.Dns.GetHostEntry("localhost") is not null : B(n);

                private static bool B(int n) => A(n - 1);
            }
            """);
    }

    [Fact]
    public async Task Calls_through_an_interface_implemented_in_source_are_followed()
    {
        await Verify("""
            public interface IStore { Task<bool> PingAsync(CancellationToken ct); }

            public sealed class PostgresStore(NpgsqlDataSource source) : IStore
            {
                public async Task<bool> PingAsync(CancellationToken ct)
                {
                    await using NpgsqlCommand command = source.CreateCommand("SELECT 1");
                    return await command.ExecuteScalarAsync(ct) is 1;
                }
            }

            public sealed class Probes(IStore store)
            {
                [{|#0:LivenessCheck|}]
                public Task<bool> Process(CancellationToken ct) => store.PingAsync(ct);
            }
            """,
            Reported(0, "process", "NpgsqlDataSource.CreateCommand", "Probes.Process → PostgresStore.PingAsync"));
    }

    [Fact]
    public async Task Virtual_calls_follow_overrides_in_source()
    {
        await Verify("""
            public abstract class Check { public abstract bool Run(); }

            public sealed class SocketCheck : Check
            {
                public override bool Run() { using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp); return true; }
            }

            public static class Probes
            {
                [[|LivenessCheck|]]
                public static bool Process(Check check) => check.Run();
            }
            """);
    }

    [Fact]
    public async Task Local_functions_and_lambdas_are_part_of_the_check()
    {
        await Verify("""
            public static class Probes
            {
                [[|LivenessCheck|]]
                public static bool WithLocalFunction()
                {
                    return Resolve();

                    static bool Resolve() => System.Net.Dns.GetHostAddresses("localhost").Length > 0;
                }

                [[|LivenessCheck|]]
                public static async Task<bool> WithLambda()
                {
                    Func<Task<bool>> ping = async () => (await new System.Net.NetworkInformation.Ping().SendPingAsync("127.0.0.1")).Status == 0;
                    return await ping();
                }
            }
            """);
    }

    [Fact]
    public async Task Extension_methods_in_source_are_followed()
    {
        await Verify("""
            public static class ClockExtensions
            {
                public static async Task<bool> IsReachableAsync(this Uri uri)
                {
                    using var client = new HttpClient();
                    return (await client.GetAsync(uri)).IsSuccessStatusCode;
                }
            }

            public static class Probes
            {
                [{|#0:LivenessCheck|}]
                public static Task<bool> Process() => new Uri("http://localhost/").IsReachableAsync();
            }
            """,
            Reported(0, "process", "new HttpClient", "Probes.Process → ClockExtensions.IsReachableAsync"));
    }

    [Fact]
    public async Task Fields_and_properties_of_dependency_types_are_reported()
    {
        await Verify("""
            public sealed class Probes
            {
                private readonly NpgsqlDataSource _source = null!;
                public System.DirectoryServices.Protocols.LdapConnection Directory { get; } = null!;

                [[|LivenessCheck|]("field")]
                public bool Field() => _source is not null;

                [[|LivenessCheck|]("property")]
                public bool Property() => Directory is not null;
            }
            """);
    }

    [Fact]
    public async Task Captured_primary_constructor_parameters_are_reported()
    {
        await Verify("""
            public sealed class Probes(NpgsqlDataSource db)
            {
                [{|#0:LivenessCheck|}]
                public bool Process() => db is not null;
            }
            """,
            Reported(0, "process", "NpgsqlDataSource (parameter 'db')", "Probes.Process"));
    }

    [Fact]
    public async Task ExternalDependency_on_a_method_covers_its_overrides()
    {
        await Verify("""
            public abstract class Gateway { [ExternalDependency] public abstract bool Ping(); }
            public sealed class CardGateway : Gateway { public override bool Ping() => true; }

            public static class Probes
            {
                [[|LivenessCheck|]]
                public static bool Cards() => new CardGateway().Ping();
            }
            """);
    }

    [Fact]
    public async Task ExternalDependency_on_a_user_type_or_method_is_honoured()
    {
        await Verify("""
            [ExternalDependency]
            public sealed class BillingClient { public bool Ping() => true; }

            public sealed class Ledger { [ExternalDependency] public bool Reachable() => true; public bool Local() => true; }

            public static class Probes
            {
                [[|LivenessCheck|]("billing")]
                public static bool Billing(BillingClient client) => client.Ping();

                [[|LivenessCheck|]("ledger")]
                public static bool LedgerCheck() => new Ledger().Reachable();

                [LivenessCheck("ledger_local")]
                public static bool LedgerLocal() => new Ledger().Local();
            }
            """);
    }

    [Fact]
    public async Task Types_listed_in_editorconfig_are_dependencies()
    {
        const string source = """
            namespace Acme.Payments { public sealed class Gateway { public bool Ping() => true; } }
            namespace Acme.Mail { public sealed class Relay { public bool Ping() => true; } }
            public static class Probes
            {
                [{|HG0001:LivenessCheck|}("gateway")]
                public static bool Gateway() => new Acme.Payments.Gateway().Ping();

                [{|HG0001:LivenessCheck|}("relay")]
                public static bool Relay() => new Acme.Mail.Relay().Ping();
            }
            """;
        await AnalyzerVerifier<LivenessExternalDependencyAnalyzer>.VerifyAsync(Usings + source,
            editorConfig: "healthgen.external_dependency_types = Acme.Payments.Gateway, Acme.Mail.*");

        // Without the configuration the same code is clean.
        await Verify(source.Replace("{|HG0001:", "").Replace("|}", ""));
    }

    [Fact]
    public async Task Liveness_checks_that_only_look_at_the_process_are_clean()
    {
        await Verify("""
            public static class Probes
            {
                [LivenessCheck]
                public static bool Memory() => Environment.WorkingSet < 4L * 1024 * 1024 * 1024;

                [LivenessCheck]
                public static HealthResult Threads() => ThreadPool.PendingWorkItemCount < 1000 ? HealthResult.Healthy() : HealthResult.Degraded(Format(ThreadPool.PendingWorkItemCount));

                [LivenessCheck]
                public static bool Gc() => GC.GetTotalMemory(false) > 0 && Helpers.Describe(GC.CollectionCount(0)).Length > 0;

                private static string Format(long backlog) => $"backlog {backlog}";
            }

            public static class Helpers
            {
                public static string Describe(int count) => string.Join(",", new[] { "gen0", count.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
            """);
    }

    [Fact]
    public async Task Readiness_startup_and_resolver_checks_may_use_dependencies()
    {
        await Verify("""
            public static class Probes
            {
                [ReadinessCheck]
                public static async Task<bool> Database(NpgsqlDataSource db, CancellationToken ct)
                {
                    await using NpgsqlConnection connection = await db.OpenConnectionAsync(ct);
                    return true;
                }

                [StartupCheck]
                public static bool Migrated(NpgsqlDataSource db) => db is not null;

                [ResolverCheck("sql1", Kind = "sqlresolver")]
                public static bool Sql(NpgsqlDataSource db) => db is not null;
            }
            """);
    }

    [Fact]
    public async Task Paths_longer_than_the_bound_are_not_followed()
    {
        // Nine calls deep: past DependencyGraph.MaxDepth (8), so the search stops (bounded cost on huge graphs).
        await Verify("""
            public static class Probes
            {
                [LivenessCheck]
                public static bool Process() => C1();
                static bool C1() => C2(); static bool C2() => C3(); static bool C3() => C4(); static bool C4() => C5();
                static bool C5() => C6(); static bool C6() => C7(); static bool C7() => C8(); static bool C8() => C9();
                static bool C9() => System.Net.Dns.GetHostName().Length > 0;
            }
            """);
    }

    private static Task Verify(string markup, params DiagnosticResult[] expected)
        => AnalyzerVerifier<LivenessExternalDependencyAnalyzer>.VerifyAsync(Usings + markup, expected);

    /// <summary>HG0001 at markup location <paramref name="location"/>, with the message's three parts.</summary>
    private static DiagnosticResult Reported(int location, string check, string reaches, string path)
        => AnalyzerVerifier<LivenessExternalDependencyAnalyzer>.Diagnostic().WithLocation(location).WithArguments(check, reaches, path);
}
