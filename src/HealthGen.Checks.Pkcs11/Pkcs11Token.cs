using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Checks.Pkcs11;

/// <summary>
/// The HSM token an application depends on, as a readiness check: a pod whose HSM is unreachable,
/// uninitialized or rejects its PIN cannot sign or decrypt, so it should stop receiving traffic
/// rather than fail requests one by one. Register it with <c>AddPkcs11Token</c> and call
/// <see cref="ProbeAsync"/> from a <c>[ReadinessCheck]</c>, never from a liveness check: restarting
/// every pod because the HSM is down helps nobody (HG0001 warns about that, hence the attribute).
/// </summary>
/// <remarks>
/// <para>
/// Native calls into an HSM module can block for as long as the network to the HSM does. Each probe
/// therefore runs on a dedicated thread, never on a thread-pool thread, and at most one probe per
/// token is in flight: concurrent callers share its result, and a caller that stops waiting (its
/// token is cancelled) leaves the probe to finish on its own thread.
/// </para>
/// <para>
/// The module's initialization and login state belong to the whole process, and the application's own
/// PKCS#11 client (Pkcs11Interop, …) usually shares them. The check therefore initializes the module when it
/// finds it uninitialized (again, if the application finalized it), never finalizes it, and never logs in
/// once it has seen another client use the module (docs/checks.md, "Lifecycle" and "Login").
/// </para>
/// </remarks>
[ExternalDependency]
public sealed class Pkcs11Token : IDisposable
{
    private readonly Pkcs11Module _module;
    private readonly TokenProbe _probe;
    private readonly Lock _gate = new();
    private TaskCompletionSource<HealthResult>? _inFlight;
    private bool _disposed;
    private int _probeRuns;

    /// <summary>
    /// Watches the token the options name. Nothing native happens here: the module is loaded at the
    /// first probe, so an HSM client that is mounted after start-up is picked up.
    /// </summary>
    /// <exception cref="ArgumentException">The options can never work (same rules as start-up validation).</exception>
    public Pkcs11Token(Pkcs11Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> problems = Pkcs11OptionsValidator.FindProblems(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        string? label = Pkcs11OptionsValidator.HasLabel(options) ? options.TokenLabel!.TrimEnd(' ') : null;
        _probe = new TokenProbe(label, label is null ? options.SlotId : null, options.Pin);
        _module = Pkcs11Module.ForPath(options.Module!);
    }

    /// <summary>Test hook: runs on the probe's dedicated thread once the probe has its turn in the module, before any native call.</summary>
    internal Action? BeforeNativeCalls { get; set; }

    /// <summary>Whether the check has seen another PKCS#11 client in this process use the token's module.</summary>
    internal bool ModuleSharedInProcess => _module.SharedInProcess;

    /// <summary>How many probes actually ran (as opposed to callers that joined one in flight).</summary>
    internal int ProbeRuns => Volatile.Read(ref _probeRuns);

    /// <summary>How many times this process called C_Initialize on the token's module.</summary>
    internal int ModuleInitializeCalls => _module.InitializeCalls;

    /// <summary>
    /// Checks the token: module loads, token present and initialized, and, with a PIN configured,
    /// the user PIN logs in. Expected failures are an unhealthy result, not an exception.
    /// </summary>
    /// <param name="cancellationToken">Stops this caller's wait; the probe itself finishes on its own thread, and its result serves the callers still waiting.</param>
    public Task<HealthResult> ProbeAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<HealthResult>? started = null;
        Task<HealthResult> probe;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_inFlight is null)
            {
                started = _inFlight = new TaskCompletionSource<HealthResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            probe = _inFlight.Task;
        }

        if (started is not null)
        {
            _ = Task.Factory.StartNew(
                () => RunOnDedicatedThread(started),
                CancellationToken.None,
                TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach,
                TaskScheduler.Default);
        }

        return cancellationToken.CanBeCanceled ? probe.WaitAsync(cancellationToken) : probe;
    }

    /// <summary>
    /// The same probe as <see cref="ProbeAsync"/> (sharing one in flight), for synchronous checks.
    /// Blocks the calling thread until the probe ends; prefer <see cref="ProbeAsync"/>, which can stop waiting.
    /// </summary>
    public HealthResult Probe() => ProbeAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Keeps every probe on this token's module out of the module until the returned scope is disposed, so
    /// that the application can call C_Finalize or C_Initialize: PKCS#11 leaves C_Finalize undefined while
    /// another thread of the process is inside a Cryptoki call (SoftHSM2, for one, frees its state under it),
    /// modules do not guard C_Initialize against concurrent calls either, and a probe's thread is such a thread. An application that finalizes or re-initializes the module while the
    /// service runs wraps that in a pause; one that only finalizes at shutdown, after the web host stopped, need not.
    /// </summary>
    /// <remarks>
    /// Waits for a probe already inside the module to leave. Probes that start during the pause wait for its end
    /// on their own threads; their callers' timeouts still apply. Pausing also tells the check that the
    /// application uses the module itself, so from then on it never logs in with <see cref="Pkcs11Options.Pin"/>.
    /// Pauses do not nest: a second one waits for the first to end.
    /// </remarks>
    /// <param name="timeout">How long to wait for a probe inside the module: a call into a hung HSM may never return.</param>
    /// <returns>The pause; dispose it to let probes in again (disposing twice is harmless).</returns>
    /// <exception cref="TimeoutException">A probe did not leave the module in time; nothing is paused.</exception>
    public IDisposable PauseProbes(TimeSpan timeout)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
        }

        if (!_module.TryPause(timeout))
        {
            throw new TimeoutException($"A probe of the PKCS#11 module did not leave it within {timeout}.");
        }

        return new ProbePause(_module);
    }

    /// <summary>
    /// Refuses new probes. Nothing native happens: the module is never finalized by the check, because the
    /// application (or another token) may still use it; a probe still in flight finishes and delivers its result.
    /// Never throws, so it cannot break the container's disposal or the application's shutdown.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }
    }

    private void RunOnDedicatedThread(TaskCompletionSource<HealthResult> completion)
    {
        Interlocked.Increment(ref _probeRuns);
        HealthResult result = default;
        Exception? unexpected = null;
        try
        {
            result = RunProbe();
        }
        catch (Exception e)
        {
            unexpected = e;
        }

        lock (_gate)
        {
            _inFlight = null;
        }

        if (unexpected is null)
        {
            completion.SetResult(result);
        }
        else
        {
            completion.SetException(unexpected);
        }
    }

    private HealthResult RunProbe()
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows modules use a 32-bit CK_ULONG and 1-byte struct packing; the binding is LP64 Unix.
            return HealthResult.Unhealthy("PKCS#11 modules are supported on Linux and macOS only");
        }

        return _module.Probe(_probe, BeforeNativeCalls);
    }
}
