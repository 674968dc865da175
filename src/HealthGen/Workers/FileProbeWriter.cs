using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Probes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HealthGen.Workers;

/// <summary>
/// Runs liveness and readiness every interval, on HealthGen's <see cref="CheckScheduler"/> (the one that runs
/// background checks), and reflects them in the probe files. Stopping removes the readiness file, and never throws.
/// </summary>
internal sealed class FileProbeWriter(IServiceProvider services, IReadOnlyList<HealthCheckRegistration> checks, HealthGenFileProbeOptions options) : IHostedService
{
    private readonly Lock _files = new();
    private bool _stopped;

    /// <summary>Builds the probes — a misconfiguration (an unknown disabled check, say) stops the host here — and schedules the writes.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        HealthProbes probes = HealthProbesFactory.Create(services, checks, "AddHealthGenFileProbe");
        services.GetRequiredService<CheckScheduler>().Schedule("file probe", TimeSpan.FromMilliseconds(options.IntervalMs), token => WriteOnceAsync(probes, token));
        return Task.CompletedTask;
    }

    /// <summary>A stopping worker takes no new work: the readiness file goes, and no scheduled write brings it back.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_files)
        {
            _stopped = true;
            if (options.ReadinessFile is not null)
            {
                Remove(options.ReadinessFile);
            }
        }

        return Task.CompletedTask;
    }

    internal async Task WriteOnceAsync(HealthProbes probes, CancellationToken cancellationToken)
    {
        bool live = options.LivenessFile is not null && (await probes.LivenessAsync(ProbeQuery.None, cancellationToken).ConfigureAwait(false)).Passed;
        bool ready = options.ReadinessFile is not null && (await probes.ReadinessAsync(ProbeQuery.None, cancellationToken).ConfigureAwait(false)).Passed;
        lock (_files)
        {
            if (_stopped)
            {
                return;
            }

            if (live)
            {
                Touch(options.LivenessFile!);
            }

            if (options.ReadinessFile is not null)
            {
                if (ready)
                {
                    Touch(options.ReadinessFile);
                }
                else
                {
                    Remove(options.ReadinessFile);
                }
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

    /// <summary>Removes a probe file; one that never was (its directory neither) is already what is wanted.</summary>
    private static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
