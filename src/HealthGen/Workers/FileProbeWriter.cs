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

namespace HealthGen.Workers;

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
