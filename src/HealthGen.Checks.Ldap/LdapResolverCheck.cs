using System;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Checks.Ldap;

/// <summary>
/// Runs the checks of one resolver so that probes cannot starve the application. LDAP calls block in native
/// code and cannot be cancelled, so:
/// <list type="bullet">
/// <item>single flight: callers that arrive while a check runs share it, so a probe storm costs one
/// connection, not one per request;</item>
/// <item>each check runs on a dedicated thread (<see cref="TaskCreationOptions.LongRunning"/>), never on a
/// thread-pool thread that ASP.NET Core needs to answer requests;</item>
/// <item>a check that outlives its timeout is answered as "timeout" and left to finish on its own thread;
/// at most <see cref="MaxAbandonedAttempts"/> such checks may be outstanding per resolver. Beyond that a
/// silent server could pin a new thread with every probe (libldap may wait forever for a bind answer), so
/// further checks answer "timeout" at once until one of them returns.</item>
/// </list>
/// </summary>
internal sealed class LdapResolverCheck
{
    internal const int MaxAbandonedAttempts = 2;

    private static readonly Func<object?, HealthResult> s_run = static state => RootDseProbe.Run((LdapTarget)state!);
    private static readonly Task<HealthResult> s_stillWaiting = Task.FromResult(HealthResult.Unhealthy(LdapCheckDescriptions.Timeout));

    private readonly LdapTarget _target;
    private readonly Lock _gate = new();
    private Task<HealthResult>? _inFlight;
    private int _abandonedAttempts;
    private int _executions;

    public LdapResolverCheck(LdapTarget target) => _target = target;

    /// <summary>How many checks have started a connection (tests prove single flight with it).</summary>
    public int Executions => Volatile.Read(ref _executions);

    /// <summary>Checks past their timeout whose native call has not returned yet.</summary>
    public int AbandonedAttempts
    {
        get
        {
            lock (_gate)
            {
                return _abandonedAttempts;
            }
        }
    }

    public Task<HealthResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<HealthResult>(cancellationToken);
        }

        Task<HealthResult> shared;
        lock (_gate)
        {
            if (_inFlight is null || _inFlight.IsCompleted)
            {
                _inFlight = _abandonedAttempts >= MaxAbandonedAttempts ? s_stillWaiting : StartAttempt();
            }

            shared = _inFlight;
        }

        // The caller may stop waiting; the shared check goes on for the others and finishes on its own thread.
        return shared.WaitAsync(cancellationToken);
    }

    private Task<HealthResult> StartAttempt()
    {
        Interlocked.Increment(ref _executions);
        Task<HealthResult> native = Task.Factory.StartNew(
            s_run,
            _target,
            CancellationToken.None,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default);
        return AwaitWithDeadlineAsync(native);
    }

    private async Task<HealthResult> AwaitWithDeadlineAsync(Task<HealthResult> native)
    {
        try
        {
            return await native.WaitAsync(_target.Timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _abandonedAttempts++;
            }

            _ = native.ContinueWith(
                static (_, state) => ((LdapResolverCheck)state!).OnAbandonedAttemptReturned(),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return HealthResult.Unhealthy(LdapCheckDescriptions.Timeout);
        }
        catch (Exception exception)
        {
            // RootDseProbe.Run catches everything; this is the last guard of a probe.
            return HealthResult.Unhealthy(LdapCheckDescriptions.Unexpected, exception);
        }
    }

    private void OnAbandonedAttemptReturned()
    {
        lock (_gate)
        {
            _abandonedAttempts--;
        }
    }
}
