using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HealthGen;

/// <summary>
/// Probes for worker processes without HTTP (queue consumers, schedulers): the checks run periodically in
/// the process, and their outcome is written to files that an exec probe
/// (<c>&lt;app&gt; probe file …</c>, see <see cref="HealthGenProbe"/>) reads. Added with the generated
/// <c>services.AddHealthGenFileProbe(o =&gt; { … })</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HealthGenFileProbe
{
    /// <summary>Called by the generated <c>AddHealthGenFileProbe</c> with the application's checks.</summary>
    public static IServiceCollection Add(IServiceCollection services, IReadOnlyList<HealthCheckRegistration> checks, Action<HealthGenFileProbeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new HealthGenFileProbeOptions();
        configure(options);
        if (options.LivenessFile is null && options.ReadinessFile is null)
        {
            throw new ArgumentException("AddHealthGenFileProbe needs a LivenessFile, a ReadinessFile or both.", nameof(configure));
        }

        if (options.IntervalMs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.IntervalMs, "IntervalMs must be greater than zero.");
        }

        services.AddHealthGen(); // a worker needs nothing else: the probes, their options and the scheduler come with it
        services.AddHostedService(provider => new FileProbeWriter(provider, checks, options));
        return services;
    }
}
