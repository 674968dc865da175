using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthGen.Execution;

/// <summary>
/// Runs periodic work from host start to shutdown: background checks (<c>PeriodMs</c>), and the file probe of
/// workers without HTTP. Each job runs, then waits its period after that run ended, so runs of one job never overlap
/// and a slow run delays the next rather than piling up. One scheduler per host, registered by <c>AddHealthGen</c>.
/// </summary>
internal sealed partial class CheckScheduler(TimeProvider time, ILogger<CheckScheduler> logger) : IHostedService
{
    private readonly Lock _lock = new();
    private readonly List<Job> _jobs = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _started;

    private sealed record Job(string Name, TimeSpan Period, Func<CancellationToken, Task> Run);

    /// <summary>Runs <paramref name="run"/> from host start (now, if the host has started), then <paramref name="period"/> after each run ended.</summary>
    public void Schedule(string name, TimeSpan period, Func<CancellationToken, Task> run)
    {
        var job = new Job(name, period, run);
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _jobs.Add(job);
            if (_started)
            {
                _loops.Add(RunEveryPeriodAsync(job));
            }
        }
    }

    /// <summary>Schedules a background check: a run is one execution, skipped while one of its dependencies is not passing.</summary>
    public void Schedule(CheckSlot slot)
        => Schedule(slot.Path, slot.Period, async _ =>
        {
            foreach (CheckSlot dependency in slot.Dependencies)
            {
                if (!(await dependency.GetResultAsync().ConfigureAwait(false)).Passed)
                {
                    return; // not run while a dependency fails; probes report it "unchecked"
                }
            }

            await slot.RunScheduledAsync().ConfigureAwait(false);
        });

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _started = true;
            foreach (Job job in _jobs)
            {
                _loops.Add(RunEveryPeriodAsync(job));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops the schedule: no new run starts; runs in flight end by their own timeout (or when the host gives up waiting).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] loops;
        lock (_lock)
        {
            loops = [.. _loops];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout passed: the runs still in flight are abandoned with the process.
        }
    }

    private async Task RunEveryPeriodAsync(Job job)
    {
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding); // off the starting thread
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await job.Run(stopping).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                if (!stopping.IsCancellationRequested)
                {
                    LogRunFailed(logger, job.Name, exception); // a failing run must not end the schedule
                }
            }

            try
            {
                await Task.Delay(job.Period, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 10, EventName = "ScheduledRunFailed", Level = LogLevel.Error, Message = "The scheduled run of {Job} threw")]
    private static partial void LogRunFailed(ILogger logger, string job, Exception exception);
}
