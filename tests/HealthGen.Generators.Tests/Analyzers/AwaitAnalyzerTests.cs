using System.Threading.Tasks;
using HealthGen.Generators.Analyzers;
using HealthGen.Generators.Tests.Verifiers;

namespace HealthGen.Generators.Tests.Analyzers;

public sealed class BlockingWaitInCheckAnalyzerTests
{
    [Fact]
    public Task Blocking_waits_in_checks_are_reported() => AnalyzerVerifier<BlockingWaitInCheckAnalyzer>.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using HealthGen;

        public static class Checks
        {
            static Task<bool> PingAsync() => Task.FromResult(true);
            static Task WorkAsync() => Task.CompletedTask;

            [ReadinessCheck] public static bool A() => [|PingAsync().Result|];
            [ReadinessCheck] public static bool B() => [|PingAsync().GetAwaiter().GetResult()|];
            [ReadinessCheck] public static void C() { [|WorkAsync().Wait()|]; }
            [ReadinessCheck] public static void D() { [|Thread.Sleep(10)|]; }
            [ReadinessCheck] public static void E() { [|Task.WaitAll(WorkAsync())|]; }
            [ReadinessCheck] public static bool F() => [|new ValueTask<bool>(true).Result|];
            [ReadinessCheck] public static bool G() { System.Func<bool> lambda = () => [|PingAsync().Result|]; return lambda(); }
        }
        """);

    [Fact]
    public Task Awaiting_and_blocking_outside_checks_are_clean() => AnalyzerVerifier<BlockingWaitInCheckAnalyzer>.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using HealthGen;

        public static class Checks
        {
            static Task<bool> PingAsync() => Task.FromResult(true);

            [ReadinessCheck] public static async Task<bool> A() => await PingAsync();
            [ReadinessCheck] public static async Task<bool> B(CancellationToken ct) { await Task.Delay(10, ct); return await PingAsync().ConfigureAwait(false); }

            public static bool NotACheck() => PingAsync().Result;
        }
        """);
}

public sealed class MissingCancellationTokenAnalyzerTests
{
    [Fact]
    public Task Awaited_calls_that_could_take_the_token_are_reported() => AnalyzerVerifier<MissingCancellationTokenAnalyzer>.VerifyAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using HealthGen;

        public static class Api
        {
            public static Task<bool> PingAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);
            public static Task<bool> ReadAsync(string path) => Task.FromResult(true);
            public static Task<bool> ReadAsync(string path, CancellationToken cancellationToken) => Task.FromResult(true);
        }

        public static class Checks
        {
            [ReadinessCheck] public static async Task<bool> Omitted(CancellationToken ct) => await [|Api.PingAsync()|];
            [ReadinessCheck] public static async Task<bool> Default(CancellationToken ct) => await [|Api.PingAsync(default)|];
            [ReadinessCheck] public static async Task<bool> None(CancellationToken ct) => await [|Api.PingAsync(CancellationToken.None)|];
            [ReadinessCheck] public static async Task<bool> Overload(CancellationToken ct) => await [|Api.ReadAsync("x")|].ConfigureAwait(false);
            [ReadinessCheck] public static async Task NoTokenAtAll() => await [|Task.Delay(10)|];
        }
        """);

    [Fact]
    public Task Passing_the_token_or_awaiting_calls_without_one_is_clean() => AnalyzerVerifier<MissingCancellationTokenAnalyzer>.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using HealthGen;

        public static class Api
        {
            public static Task<bool> PingAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);
            public static Task<bool> LocalAsync() => Task.FromResult(true);
        }

        public static class Checks
        {
            [ReadinessCheck] public static async Task<bool> A(CancellationToken ct) => await Api.PingAsync(ct) && await Api.LocalAsync();
            [ReadinessCheck] public static async Task B(CancellationToken ct) => await Task.Delay(10, ct).ConfigureAwait(false);
            public static async Task<bool> NotACheck() => await Api.PingAsync();
        }
        """);
}
