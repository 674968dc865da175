using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace HealthGen.Benchmarks.Compiler;

/// <summary>
/// The sources of an application with <c>classes × 5</c> checks, one check class per file, plus files without
/// checks: services the checks take, domain code, and the file that maps the probes. The mix is the one real
/// projects have: static and instance checks (constructed with their constructor's services, disposable, or from
/// DI), sync and async (Task, ValueTask, bool, HealthResult), service parameters, optional and keyed services,
/// IServiceProvider, CancellationToken, TimeoutMs/CacheMs, and a resolver check in every tenth class.
/// </summary>
internal static class CheckCorpus
{
    public const int ChecksPerClass = 5;
    public const int StoreCount = 20;
    public const int DomainFiles = 40;

    /// <summary>The file edited between the first and the second run: it has no checks.</summary>
    public const string UnrelatedFile = "Domain/Orders0.cs";

    public static List<(string Path, string Text)> Create(int classes)
    {
        var files = new List<(string, string)>
        {
            ("Services.cs", Services()),
            ("Program.cs", ProgramFile()),
        };
        for (int d = 0; d < DomainFiles; d++)
        {
            files.Add(($"Domain/Orders{d}.cs", Domain(d, extraMethod: null)));
        }

        for (int i = 0; i < classes; i++)
        {
            files.Add(($"Checks/Checks{i}.cs", CheckClass(i)));
        }

        return files;
    }

    /// <summary>The unrelated file after an edit: one method added (<paramref name="edit"/> makes each edit distinct).</summary>
    public static string EditedUnrelatedFile(int edit) => Domain(0, extraMethod: edit);

    private static string Services()
    {
        var text = new StringBuilder();
        text.Append("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Bench.App.Services;

            public interface ICache { bool IsWarm { get; } int Count { get; } }
            public interface IWarmer { Task WaitAsync(CancellationToken cancellationToken); bool IsComplete { get; } }
            public interface IClock { DateTimeOffset UtcNow { get; } }

            """);
        for (int s = 0; s < StoreCount; s++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""

                public interface IStore{{s}}
                {
                    bool Ping();
                    Task<bool> PingAsync(CancellationToken cancellationToken);
                }

                """);
        }

        return text.ToString();
    }

    private static string ProgramFile() => """
        using Microsoft.AspNetCore.Builder;

        namespace Bench.App;

        public static class Startup
        {
            public static void Configure(WebApplication app) => app.MapHealthGen();
        }
        """;

    private static string Domain(int d, int? extraMethod)
    {
        string extra = extraMethod is { } k
            ? $"\n    public int AddedByEdit{k}() => _lines.Count + {k};\n"
            : "";
        return $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Bench.App.Domain;

            public sealed record OrderLine{{d}}(string Sku, int Quantity, decimal Price);

            public sealed class Orders{{d}}
            {
                private readonly List<OrderLine{{d}}> _lines = new();

                public void Add(string sku, int quantity, decimal price) => _lines.Add(new OrderLine{{d}}(sku, quantity, price));

                public decimal Total => _lines.Sum(l => l.Quantity * l.Price);

                public IEnumerable<string> TopSkus(int count) => _lines
                    .GroupBy(l => l.Sku)
                    .OrderByDescending(g => g.Sum(l => l.Quantity))
                    .Take(count)
                    .Select(g => g.Key);

                public async Task<int> CountLaterAsync(CancellationToken cancellationToken)
                {
                    await Task.Delay(1, cancellationToken).ConfigureAwait(false);
                    return _lines.Count;
                }
            {{extra}}}
            """;
    }

    private static string CheckClass(int i)
    {
        int store = i % StoreCount;
        string Keyed(string modifier) => i % 10 == 0
            ? $$"""
                    [ResolverCheck("resolver{{i}}", Kind = "{{(i % 20 == 0 ? "ldapresolver" : "sqlresolver")}}", TimeoutMs = 700)]
                    public {{modifier}}Task<HealthResult> Resolve{{i}}(CancellationToken cancellationToken)
                        => Task.FromResult(cancellationToken.IsCancellationRequested ? HealthResult.Unhealthy() : HealthResult.Healthy());
                """
            : $$"""
                    [ReadinessCheck("ready_{{i}}_keyed")]
                    public {{modifier}}bool Keyed{{i}}([FromKeyedServices("primary")] IStore{{store}} store) => store.Ping();
                """;

        string Methods(string modifier) => $$"""
                [LivenessCheck("live_{{i}}")]
                public {{modifier}}HealthResult Process{{i}}() => GC.GetTotalMemory(false) < long.MaxValue ? HealthResult.Healthy() : HealthResult.Degraded("memory");

                [ReadinessCheck("ready_{{i}}_db", TimeoutMs = 500)]
                public {{modifier}}async Task<bool> DatabaseAsync(IStore{{store}} store, CancellationToken cancellationToken)
                {
                    bool reachable = await store.PingAsync(cancellationToken).ConfigureAwait(false);
                    return reachable;
                }

                [ReadinessCheck("ready_{{i}}_cache", CacheMs = 2000)]
                public {{modifier}}ValueTask<HealthResult> Cache(ICache? cache, IServiceProvider services)
                    => ValueTask.FromResult(cache is null || cache.IsWarm ? HealthResult.Healthy() : HealthResult.Degraded("cold"));

                [StartupCheck("start_{{i}}")]
                public {{modifier}}Task WarmupAsync(IWarmer warmer, CancellationToken cancellationToken) => warmer.WaitAsync(cancellationToken);

            """ + Keyed(modifier);

        string header = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using Bench.App.Services;
            using HealthGen;
            using Microsoft.Extensions.DependencyInjection;

            namespace Bench.App.Checks;

            """;

        return (i % 5) switch
        {
            // Static checks in a public static class.
            0 => header + $$"""
                public static class StaticChecks{{i}}
                {
                {{Methods("static ")}}
                }
                """,
            // Instance checks the generated code constructs with the primary constructor's services.
            1 => header + $$"""
                public sealed class ConstructedChecks{{i}}(IClock clock)
                {
                    public DateTimeOffset StartedAt { get; } = clock.UtcNow;

                {{Methods("")}}
                }
                """,
            // Disposable instance checks: constructed, then disposed after each execution.
            2 => header + $$"""
                public sealed class DisposableChecks{{i}} : IDisposable
                {
                    private readonly IClock _clock;

                    public DisposableChecks{{i}}(IClock clock) => _clock = clock;

                    public DateTimeOffset Now => _clock.UtcNow;

                {{Methods("")}}
                    public void Dispose() { }
                }
                """,
            // Internal static checks.
            3 => header + $$"""
                internal static class InternalChecks{{i}}
                {
                {{Methods("static ")}}
                }
                """,
            // Two public constructors: the instance must come from DI.
            _ => header + $$"""
                public class ContainerChecks{{i}}
                {
                    public ContainerChecks{{i}}() { }

                    public ContainerChecks{{i}}(IClock clock) { }

                {{Methods("")}}
                }
                """,
        };
    }
}
