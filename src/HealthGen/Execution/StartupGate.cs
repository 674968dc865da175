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
    private readonly bool[] _passed = new bool[startupChecks.Length];
    private volatile bool _open;

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

        var pending = new Task<CheckResult>?[startupChecks.Length];
        for (int i = 0; i < startupChecks.Length; i++)
        {
            if (!Volatile.Read(ref _passed[i]))
            {
                pending[i] = startupChecks[i].GetResultAsync(requestAborted);
            }
        }

        bool all = true;
        for (int i = 0; i < pending.Length; i++)
        {
            if (pending[i] is { } execution)
            {
                if ((await execution.ConfigureAwait(false)).Passed)
                {
                    Volatile.Write(ref _passed[i], true);
                }
                else
                {
                    all = false;
                }
            }
        }

        if (all)
        {
            _open = true;
        }

        return all;
    }
}
