using System;
using HealthGen;
using HealthGen.Execution;
using HealthGen.Hosting;
using HealthGen.Probes;
using HealthGen.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the HealthGen runtime.</summary>
public static class HealthGenServiceCollectionExtensions
{
    /// <summary>
    /// Adds the services behind <c>MapHealthGen</c>: options (bound from the "HealthGen" configuration
    /// section, then <paramref name="configure"/>), validated at start-up, the probe runner, and the front door that
    /// answers the kubelet's probes past the application's host filtering (docs/kubernetes.md).
    /// Calling it more than once is harmless; every <paramref name="configure"/> runs.
    /// </summary>
    public static IServiceCollection AddHealthGen(this IServiceCollection services, Action<HealthGenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        if (!services.IsHealthGenRegistered())
        {
            services.AddOptions();
            services.AddSingleton<IConfigureOptions<HealthGenOptions>, BindHealthGenOptionsFromConfiguration>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HealthGenOptions>, HealthGenOptionsValidator>());
            services.AddOptions<HealthGenOptions>().ValidateOnStart();
            services.TryAddSingleton(TimeProvider.System);
            services.AddMetrics();
            services.AddLogging();
            services.AddSingleton<HealthGenMarkerService>();
            services.AddSingleton<CheckExecutor>();
            services.AddSingleton<ApplicationProbes>();
            services.AddSingleton<CheckScheduler>();
            services.AddHostedService(provider => provider.GetRequiredService<CheckScheduler>());
            services.AddSingleton<HealthGenTelemetry>();
            services.AddHostedService<DrainDelay>();
            services.AddSingleton<MappedProbes>();
            // First of all startup filters, so the probe front door is outside the host filtering that the default
            // builders add in theirs (registered before the application's code runs): see ProbeFrontDoorStartupFilter.
            services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, ProbeFrontDoorStartupFilter>());
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services;
    }

    internal static bool IsHealthGenRegistered(this IServiceCollection services)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(HealthGenMarkerService))
            {
                return true;
            }
        }

        return false;
    }
}
