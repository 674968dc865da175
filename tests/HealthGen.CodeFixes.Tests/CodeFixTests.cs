using System.Threading.Tasks;
using HealthGen.Generators.Analyzers;

namespace HealthGen.CodeFixes.Tests;

public sealed class MakeReadinessCheckCodeFixTests
{
    [Fact]
    public Task Turns_the_liveness_check_into_a_readiness_check_keeping_name_and_settings()
        => CodeFixVerifier<LivenessExternalDependencyAnalyzer, MakeReadinessCheckCodeFixProvider>.VerifyAsync("""
            using HealthGen;
            using Npgsql;

            public static class Probes
            {
                [{|HG0001:LivenessCheck|}("database", TimeoutMs = 500, CacheMs = 0)]
                public static bool Database(NpgsqlDataSource db) => db is not null;
            }
            """, """
            using HealthGen;
            using Npgsql;

            public static class Probes
            {
                [ReadinessCheck("database", TimeoutMs = 500, CacheMs = 0)]
                public static bool Database(NpgsqlDataSource db) => db is not null;
            }
            """);

    [Fact]
    public Task Fix_all_handles_qualified_and_long_attribute_names()
        => CodeFixVerifier<LivenessExternalDependencyAnalyzer, MakeReadinessCheckCodeFixProvider>.VerifyFixAllAsync("""
            using Npgsql;

            public static class Probes
            {
                [{|HG0001:HealthGen.LivenessCheck|}]
                public static bool First(NpgsqlDataSource db) => true;

                [{|HG0001:HealthGen.LivenessCheckAttribute|}]
                public static bool Second(NpgsqlConnection connection) => true;

                [HealthGen.LivenessCheck]
                public static bool Process() => true;
            }
            """, """
            using Npgsql;

            public static class Probes
            {
                [HealthGen.ReadinessCheck]
                public static bool First(NpgsqlDataSource db) => true;

                [HealthGen.ReadinessCheckAttribute]
                public static bool Second(NpgsqlConnection connection) => true;

                [HealthGen.LivenessCheck]
                public static bool Process() => true;
            }
            """, incrementalIterations: 2);
}

public sealed class AwaitInsteadOfBlockingCodeFixTests
{
    [Fact]
    public Task Result_becomes_await_and_the_method_becomes_async()
        => CodeFixVerifier<BlockingWaitInCheckAnalyzer, AwaitInsteadOfBlockingCodeFixProvider>.VerifyAsync("""
            using System.Threading.Tasks;
            using HealthGen;

            public static class Probes
            {
                static Task<bool> PingAsync() => Task.FromResult(true);

                [ReadinessCheck]
                public static bool Ping() => [|PingAsync().Result|];
            }
            """, """
            using System.Threading.Tasks;
            using HealthGen;

            public static class Probes
            {
                static Task<bool> PingAsync() => Task.FromResult(true);

                [ReadinessCheck]
                public static async Task<bool> Ping() => await PingAsync();
            }
            """);

    [Fact]
    public Task Fix_all_rewrites_every_mechanical_form_in_the_document()
        => CodeFixVerifier<BlockingWaitInCheckAnalyzer, AwaitInsteadOfBlockingCodeFixProvider>.VerifyFixAllAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            using HealthGen;

            public static class Probes
            {
                static Task<HealthResult> CheckAsync() => Task.FromResult(HealthResult.Healthy());
                static Task WarmAsync() => Task.CompletedTask;

                [ReadinessCheck]
                public static HealthResult Check()
                {
                    [|WarmAsync().Wait()|];
                    [|Thread.Sleep(100)|];
                    return [|CheckAsync().GetAwaiter().GetResult()|];
                }

                [StartupCheck]
                public static void Warm()
                {
                    [|WarmAsync().Wait()|];
                }

                [ReadinessCheck]
                public static async Task<bool> AlreadyAsync()
                {
                    return [|CheckAsync().Result|].Status == HealthStatus.Healthy;
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            using HealthGen;

            public static class Probes
            {
                static Task<HealthResult> CheckAsync() => Task.FromResult(HealthResult.Healthy());
                static Task WarmAsync() => Task.CompletedTask;

                [ReadinessCheck]
                public static async Task<HealthResult> Check()
                {
                    await WarmAsync();
                    await Task.Delay(100);
                    return await CheckAsync();
                }

                [StartupCheck]
                public static async Task Warm()
                {
                    await WarmAsync();
                }

                [ReadinessCheck]
                public static async Task<bool> AlreadyAsync()
                {
                    return (await CheckAsync()).Status == HealthStatus.Healthy;
                }
            }
            """, incrementalIterations: 5);

    [Fact]
    public Task No_fix_is_offered_in_a_method_that_returns_a_task_without_async()
        => CodeFixVerifier<BlockingWaitInCheckAnalyzer, AwaitInsteadOfBlockingCodeFixProvider>.VerifyNoFixAsync("""
            using System.Threading.Tasks;
            using HealthGen;

            public static class Probes
            {
                [ReadinessCheck]
                public static Task<bool> ReturnsTaskWithoutAsync() => Task.FromResult([|Task.FromResult(true).Result|]);
            }
            """);

    [Fact]
    public Task No_fix_is_offered_inside_a_lambda()
        => CodeFixVerifier<BlockingWaitInCheckAnalyzer, AwaitInsteadOfBlockingCodeFixProvider>.VerifyNoFixAsync("""
            using System;
            using System.Threading.Tasks;
            using HealthGen;

            public static class Probes
            {
                [ReadinessCheck]
                public static bool InLambda() { Func<bool> f = () => [|Task.FromResult(true).Result|]; return f(); }
            }
            """);
}

public sealed class PassCancellationTokenCodeFixTests
{
    [Fact]
    public Task Adds_the_parameter_and_passes_it_as_the_missing_argument()
        => CodeFixVerifier<MissingCancellationTokenAnalyzer, PassCancellationTokenCodeFixProvider>.VerifyAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            using HealthGen;

            public static class Api
            {
                public static Task<bool> PingAsync(string host, CancellationToken cancellationToken = default) => Task.FromResult(true);
            }

            public static class Probes
            {
                [ReadinessCheck]
                public static async Task<bool> Ping() => await [|Api.PingAsync("db")|];
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            using HealthGen;

            public static class Api
            {
                public static Task<bool> PingAsync(string host, CancellationToken cancellationToken = default) => Task.FromResult(true);
            }

            public static class Probes
            {
                [ReadinessCheck]
                public static async Task<bool> Ping(CancellationToken cancellationToken = default) => await Api.PingAsync("db", cancellationToken: cancellationToken);
            }
            """);

    [Fact]
    public Task Fix_all_uses_the_existing_token_replaces_None_and_picks_overloads()
        => CodeFixVerifier<MissingCancellationTokenAnalyzer, PassCancellationTokenCodeFixProvider>.VerifyFixAllAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            using HealthGen;

            public static class Api
            {
                public static Task<bool> PingAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);
                public static Task<bool> ReadAsync(string path) => Task.FromResult(true);
                public static Task<bool> ReadAsync(string path, CancellationToken cancellationToken) => Task.FromResult(true);
            }

            public static class Probes
            {
                [ReadinessCheck]
                public static async Task<bool> Check(CancellationToken ct)
                {
                    bool a = await [|Api.PingAsync(CancellationToken.None)|];
                    bool b = await [|Api.ReadAsync("x")|].ConfigureAwait(false);
                    await [|Task.Delay(10)|];
                    return a && b;
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            using HealthGen;

            public static class Api
            {
                public static Task<bool> PingAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);
                public static Task<bool> ReadAsync(string path) => Task.FromResult(true);
                public static Task<bool> ReadAsync(string path, CancellationToken cancellationToken) => Task.FromResult(true);
            }

            public static class Probes
            {
                [ReadinessCheck]
                public static async Task<bool> Check(CancellationToken ct)
                {
                    bool a = await Api.PingAsync(ct);
                    bool b = await Api.ReadAsync("x", ct).ConfigureAwait(false);
                    await Task.Delay(10, ct);
                    return a && b;
                }
            }
            """, incrementalIterations: 3);
}
