using System;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Execution;

/// <summary>
/// The startup latch: the application counts as started once the host has started and every startup
/// check has passed once. A check that passed is not run again; once all have passed the gate stays
/// open for the life of the process (Kubernetes stops calling the startup probe then, too).
/// </summary>
internal sealed class StartupGate(CheckSlot[] startupChecks, CancellationToken hostStarted)
{
    private readonly object _gate = new();
    private readonly bool[] _passed = new bool[startupChecks.Length];
    private readonly CheckResult?[] _last = new CheckResult?[startupChecks.Length];
    private volatile bool _open;

    /// <summary>Whether the gate is open for good (every startup check passed once after the host started).</summary>
    public bool IsOpen => _open;

    /// <summary>Whether the application has started, running the startup checks that have not passed yet.</summary>
    public async ValueTask<bool> IsStartedAsync(CancellationToken requestAborted)
    {
        if (_open)
        {
            return true;
        }

        if (!hostStarted.IsCancellationRequested)
        {
            return false;
        }

        var pending = new ValueTask<CheckResult>?[startupChecks.Length];
        lock (_gate)
        {
            for (int i = 0; i < startupChecks.Length; i++)
            {
                pending[i] = _passed[i] ? null : startupChecks[i].GetResultAsync(requestAborted);
            }
        }

        bool all = true;
        for (int i = 0; i < pending.Length; i++)
        {
            if (pending[i] is { } execution)
            {
                CheckResult result = await execution.ConfigureAwait(false);
                lock (_gate)
                {
                    _last[i] = result;
                    _passed[i] |= result.Passed;
                    all &= _passed[i];
                }
            }
        }

        if (all)
        {
            _open = true;
        }

        return all;
    }

    /// <summary>The startup checks with their latest results (a passed check keeps the result it passed with).</summary>
    public CheckReport[] Reports(ProbeQuery query)
    {
        var reports = new CheckReport[startupChecks.Length];
        lock (_gate)
        {
            for (int i = 0; i < reports.Length; i++)
            {
                HealthCheckRegistration check = startupChecks[i].Check;
                reports[i] = query.IsExcluded(check) ? new CheckReport(check, default, Excluded: true)
                    : _last[i] is { } result ? new CheckReport(check, _passed[i] ? result with { Cached = true } : result)
                    : new CheckReport(check, new CheckResult(HealthResult.Unhealthy("not run yet: the host has not started"), CheckFailure.Reported, TimeSpan.Zero));
            }
        }

        return reports;
    }
}
