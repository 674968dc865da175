namespace HealthGen.Generators.Tests;

/// <summary>Check sources shared by the baseline, execution and incremental tests.</summary>
internal static class Sources
{
    public const string ReturnTypes = """
        using System.Threading.Tasks;
        using HealthGen;

        namespace App;

        public sealed class Switch
        {
            public bool Fail { get; set; }
        }

        public static class ReturnTypeChecks
        {
            [LivenessCheck]
            public static void VoidCheck(Switch s) { if (s.Fail) throw new System.InvalidOperationException("void failed"); }

            [LivenessCheck]
            public static bool BooleanCheck(Switch s) => !s.Fail;

            [LivenessCheck]
            public static HealthResult ResultCheck(Switch s) => s.Fail ? HealthResult.Unhealthy("result failed") : HealthResult.Healthy();

            [ReadinessCheck]
            public static async Task TaskCheck(Switch s) { await Task.Yield(); if (s.Fail) throw new System.InvalidOperationException("task failed"); }

            [ReadinessCheck]
            public static Task<bool> TaskOfBooleanCheck(Switch s) => Task.FromResult(!s.Fail);

            [ReadinessCheck]
            public static Task<HealthResult> TaskOfResultCheck(Switch s) => Task.FromResult(s.Fail ? HealthResult.Degraded("slow") : HealthResult.Healthy());

            [StartupCheck]
            public static ValueTask ValueTaskCheck(Switch s) => s.Fail ? ValueTask.FromException(new System.InvalidOperationException("value task failed")) : ValueTask.CompletedTask;

            [StartupCheck]
            public static ValueTask<bool> ValueTaskOfBooleanCheckAsync(Switch s) => ValueTask.FromResult(!s.Fail);

            [StartupCheck]
            public static ValueTask<HealthResult> ValueTaskOfResultCheck(Switch s) => ValueTask.FromResult(s.Fail ? HealthResult.Unhealthy() : HealthResult.Healthy());
        }
        """;

    public const string InstanceChecks = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using HealthGen;

        namespace App;

        public sealed class Clock { public DateTimeOffset Now => DateTimeOffset.UnixEpoch; }

        public sealed class Log { public int Disposed; public int Created; }

        /// <summary>Constructed by the generated code with its constructor's services.</summary>
        public sealed class ConstructorInjected(Clock clock)
        {
            [LivenessCheck("ctor_injected")]
            public bool Check() => clock.Now == DateTimeOffset.UnixEpoch;
        }

        /// <summary>Disposed after the execution when the generated code built it.</summary>
        public sealed class DisposableCheck : IDisposable
        {
            private readonly Log _log;
            public DisposableCheck(Log log) { _log = log; log.Created++; }
            [ReadinessCheck("disposable")]
            public HealthResult Check() => HealthResult.Healthy();
            public void Dispose() => _log.Disposed++;
        }

        public sealed class AsyncDisposableCheck(Log log) : IAsyncDisposable
        {
            [ReadinessCheck("async_disposable", TimeoutMs = 250)]
            public bool Check() => true;
            public ValueTask DisposeAsync() { log.Disposed++; return ValueTask.CompletedTask; }
        }

        /// <summary>Two public constructors: the generated code cannot choose, so DI must provide it.</summary>
        public sealed class FromContainerOnly
        {
            public FromContainerOnly() { }
            public FromContainerOnly(Clock clock) { }
            [StartupCheck("from_container")]
            public Task<bool> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(!cancellationToken.IsCancellationRequested);
        }

        public abstract class AbstractChecks
        {
            [ReadinessCheck("abstract_base")]
            public bool Check() => true;
        }
        """;

    public const string ServiceParameters = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using HealthGen;
        using Microsoft.Extensions.DependencyInjection;

        namespace App;

        public interface IStore { bool Ping(); }
        public sealed class ReachableStore : IStore { public bool Ping() => true; }
        public enum Region { West = 1, East = 2 }

        internal static class ServiceChecks
        {
            [ReadinessCheck("keyed_string")]
            internal static bool Keyed([FromKeyedServices("primary")] IStore store) => store.Ping();

            [ReadinessCheck("keyed_enum")]
            internal static bool KeyedEnum([FromKeyedServices(Region.East)] IStore store) => store.Ping();

            [ReadinessCheck("optional")]
            internal static bool Optional(IStore? store) => store is null || store.Ping();

            [ReadinessCheck("provider_and_token")]
            internal static ValueTask<bool> Both(IServiceProvider services, CancellationToken cancellationToken, IStore @class)
                => ValueTask.FromResult(services is not null && !cancellationToken.IsCancellationRequested && @class.Ping());

            [ReadinessCheck("reserved_names")]
            internal static bool Reserved(IStore services, IStore instance) => services.Ping() && instance.Ping();

            public static class Nested
            {
                [LivenessCheck]
                public static HealthResult NestedCheck() => HealthResult.Healthy();
            }
        }
        """;

    public const string Resolvers = """
        using System.Threading;
        using System.Threading.Tasks;
        using HealthGen;

        namespace App;

        public static class ResolverChecks
        {
            [ResolverCheck("ldapresolver1", Kind = "ldapresolver", TimeoutMs = 800, CacheMs = 10000)]
            public static Task<HealthResult> Ldap1(CancellationToken cancellationToken) => Task.FromResult(HealthResult.Healthy());

            [ResolverCheck("ldapresolver2", Kind = "ldapresolver")]
            public static Task<HealthResult> Ldap2(CancellationToken cancellationToken) => Task.FromResult(HealthResult.Healthy());

            [ResolverCheck("sqlresolver1", Kind = "sqlresolver", CacheMs = 0)]
            public static bool Sql1() => true;

            [ResolverCheck("users.primary", Kind = "sqlresolver")]
            public static bool SqlUsers() => true;
        }
        """;

    public const string OperationsSettings = """
        using System.Threading;
        using System.Threading.Tasks;
        using HealthGen;

        namespace App;

        public static class OperationsChecks
        {
            [ReadinessCheck("database", PeriodMs = 5000, FailureThreshold = 3)]
            public static Task<bool> Database(CancellationToken cancellationToken) => Task.FromResult(true);

            [ReadinessCheck("orders", DependsOn = new[] { "database" })]
            public static bool Orders() => true;

            [ReadinessCheck("billing", TimeoutMs = 500, FailureThreshold = 2, DependsOn = ["database", "orders"])]
            public static bool Billing() => true;

            // Explicit defaults emit nothing beyond the plain registration.
            [LivenessCheck("heartbeat", PeriodMs = 0, FailureThreshold = 1, DependsOn = new string[0])]
            public static bool Heartbeat() => true;

            [ResolverCheck("users", Kind = "ldapresolver", PeriodMs = 30000)]
            public static bool Users() => true;

            [ResolverCheck("groups", Kind = "ldapresolver", DependsOn = new[] { "users" })]
            public static bool Groups() => true;
        }
        """;

    public const string Library = """
        using HealthGen;

        namespace Lib;

        public static class LibraryChecks
        {
            [ReadinessCheck("library_store")]
            public static bool Store() => true;

            [LivenessCheck("library_heartbeat")]
            internal static HealthResult Heartbeat() => HealthResult.Healthy();
        }
        """;

    public const string ApplicationUsingLibrary = """
        using HealthGen;
        using Microsoft.AspNetCore.Builder;

        namespace App;

        public static class AppChecks
        {
            [LivenessCheck]
            public static bool Process() => true;
        }

        public static class Startup
        {
            public static void Configure(WebApplication app) => app.MapHealthGen("/_healthz");
        }
        """;

    public const string NoChecks = """
        using Microsoft.AspNetCore.Builder;

        namespace App;

        public static class Program
        {
            public static void Configure(WebApplication app) => app.MapHealthGen();
        }
        """;
}
