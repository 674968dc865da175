using System;
using System.Linq;
using System.Threading.Tasks;
using HealthGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HealthGen.Reliability;

internal static class ReliabilityHost
{
    /// <summary>Starts the application with only <paramref name="enabled"/> checks switched on (the rest disabled by path).</summary>
    public static Task<LoopbackWebHost> StartAsync(string[] enabled, Action<IServiceCollection>? services = null, Action<HealthGenOptions>? configure = null)
        => LoopbackWebHost.StartAsync(
            s =>
            {
                s.AddSingleton<HangSwitch>();
                s.AddHealthGen(o =>
                {
                    foreach (string path in ReliabilityChecks.AllPaths.Except(enabled))
                    {
                        o.DisabledChecks.Add(path);
                    }

                    o.ReadinessCacheMs = 500;
                    o.ResolverCacheMs = 500;
                    configure?.Invoke(o);
                });
                services?.Invoke(s);
            },
            app => app.MapHealthGen());
}
