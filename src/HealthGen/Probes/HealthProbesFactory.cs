using System;
using System.Collections.Generic;
using System.Threading;
using HealthGen.Execution;
using HealthGen.Hosting;
using HealthGen.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HealthGen.Probes;

/// <summary>
/// Builds the probes of an application from its generated checks, once, for the HTTP endpoints and the file probe
/// alike: existing IHealthCheck registrations join (<see cref="HealthCheckImport"/>), disabled checks are left out
/// (unknown paths fail here), telemetry observes every check, and background checks are scheduled.
/// </summary>
internal static class HealthProbesFactory
{
    public static HealthProbes Create(IServiceProvider services, IReadOnlyList<HealthCheckRegistration> checks, string caller)
    {
        if (services.GetService<HealthGenMarkerService>() is null)
        {
            throw new InvalidOperationException(
                $"{caller} needs the HealthGen services: call builder.Services.AddHealthGen() first.");
        }

        return services.GetRequiredService<ApplicationProbes>().GetOrCreate(() => Build(services, checks));
    }

    private static HealthProbes Build(IServiceProvider services, IReadOnlyList<HealthCheckRegistration> checks)
    {
        IHostApplicationLifetime? lifetime = services.GetService<IHostApplicationLifetime>();
        HealthGenOptions options = services.GetRequiredService<IOptions<HealthGenOptions>>().Value;
        // Only an application that called AddHealthChecks() has IHealthCheck registrations to import; asking the
        // container for their options otherwise builds an options object for nothing, on the start-up path.
        bool hasHealthChecks = services.GetService<IServiceProviderIsService>()?.IsService(typeof(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService)) ?? true;
        IEnumerable<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration> existing = hasHealthChecks
            ? services.GetService<IOptions<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>>()?.Value.Registrations ?? []
            : [];
        List<HealthCheckRegistration> all = [.. checks, .. Interop.HealthChecksInterop.Import(existing, options.HealthCheckImport, options.IgnoredHealthChecks)];

        var probes = new HealthProbes(
            new HealthCheckSet(all, options.DisabledChecks),
            services.GetRequiredService<CheckExecutor>(),
            options,
            hostStarted: lifetime?.ApplicationStarted ?? new CancellationToken(canceled: true),
            stopping: lifetime?.ApplicationStopping ?? CancellationToken.None);
        services.GetRequiredService<HealthGenTelemetry>().Observe(probes);
        CheckScheduler scheduler = services.GetRequiredService<CheckScheduler>();
        foreach (CheckSlot slot in probes.AllSlots)
        {
            if (slot.IsBackground)
            {
                scheduler.Schedule(slot);
            }
        }

        return probes;
    }
}
