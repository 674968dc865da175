using System.Threading;
using System.Threading.Tasks;
using HealthGen.Probes;

namespace HealthGen.Execution;

/// <summary>
/// The startup latch: the application counts as started once the host has started and every startup check has
/// passed once. A check that passed is not run again; once all have passed the gate stays open for the life of the
/// process (Kubernetes stops calling the startup probe then, too).
/// </summary>
internal sealed class StartupGate(ProbeChecks startupChecks, CancellationToken hostStarted)
{
    private readonly Lock _lock = new();
    private readonly bool[] _passed = new bool[startupChecks.Slots.Length];
    private readonly CheckResult?[] _last = new CheckResult?[startupChecks.Slots.Length];

    // Read on every readiness request without the lock: a one-way latch, set once under the lock.
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

        var asked = new Task<CheckResult>?[_passed.Length];
        lock (_lock)
        {
            for (int i = 0; i < asked.Length; i++)
            {
                asked[i] = _passed[i] ? null : ProbeRunner.ResultOfAsync(startupChecks, i); // all asked before any is awaited
            }
        }

        for (int i = 0; i < asked.Length; i++)
        {
            if (asked[i] is { } execution)
            {
                CheckResult result = await execution.WaitAsync(requestAborted).ConfigureAwait(false);
                lock (_lock)
                {
                    if (!_passed[i]) // a concurrent request may have seen it pass already: it keeps that result
                    {
                        _last[i] = result;
                        _passed[i] = result.Passed;
                    }
                }
            }
        }

        lock (_lock)
        {
            foreach (bool passed in _passed)
            {
                if (!passed)
                {
                    return false;
                }
            }

            _open = true;
            return true;
        }
    }

    /// <summary>The startup checks with their latest results (a passed check keeps the result it passed with).</summary>
    public CheckReport[] Reports(ProbeQuery query)
    {
        var reports = new CheckReport[_passed.Length];
        lock (_lock)
        {
            for (int i = 0; i < reports.Length; i++)
            {
                HealthCheckRegistration check = startupChecks.Slots[i].Check;
                reports[i] = query.IsExcluded(check) ? new CheckReport(check, default, Excluded: true)
                    : _last[i] is { } result ? new CheckReport(check, _passed[i] ? result with { Cached = true } : result)
                    : new CheckReport(check, CheckResult.NotRun("not run yet: the host has not started"));
            }
        }

        return reports;
    }
}
