using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Probes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HealthGen;

/// <summary>Where and how often <c>AddHealthGenFileProbe</c> writes the probe files.</summary>
public sealed class HealthGenFileProbeOptions
{
    /// <summary>Touched after every passing liveness run; <c>probe file --liveness &lt;path&gt; --max-age &lt;s&gt;</c> checks its age.</summary>
    public string? LivenessFile { get; set; }

    /// <summary>Present while readiness passes, removed otherwise and at shutdown; <c>probe file --readiness &lt;path&gt;</c> checks it.</summary>
    public string? ReadinessFile { get; set; }

    /// <summary>How often the probes run, in milliseconds. Default 5000; choose a liveness max-age of a few intervals.</summary>
    public int IntervalMs { get; set; } = 5000;
}

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

        services.AddHostedService(provider => new FileProbeWriter(provider, checks, options));
        return services;
    }

    /// <summary>Runs liveness and readiness every interval and reflects them in the files.</summary>
    internal sealed class FileProbeWriter(IServiceProvider services, IReadOnlyList<HealthCheckRegistration> checks, HealthGenFileProbeOptions options) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            HealthProbes probes = HealthProbesFactory.Create(services, checks, "AddHealthGenFileProbe");
            TimeProvider time = services.GetRequiredService<TimeProvider>();
            while (!stoppingToken.IsCancellationRequested)
            {
                await WriteOnceAsync(probes, stoppingToken).ConfigureAwait(false);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(options.IntervalMs), time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        public override async Task StopAsync(CancellationToken cancellationToken)
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
            if (options.ReadinessFile is not null)
            {
                File.Delete(options.ReadinessFile); // a stopping worker takes no new work
            }
        }

        internal async Task WriteOnceAsync(HealthProbes probes, CancellationToken cancellationToken)
        {
            if (options.LivenessFile is not null && (await probes.LivenessAsync(ProbeQuery.None, cancellationToken).ConfigureAwait(false)).Passed)
            {
                Touch(options.LivenessFile);
            }

            if (options.ReadinessFile is not null)
            {
                if ((await probes.ReadinessAsync(ProbeQuery.None, cancellationToken).ConfigureAwait(false)).Passed)
                {
                    Touch(options.ReadinessFile);
                }
                else
                {
                    File.Delete(options.ReadinessFile);
                }
            }
        }

        private static void Touch(string path)
        {
            if (File.Exists(path))
            {
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                File.WriteAllBytes(path, []);
            }
        }
    }
}
