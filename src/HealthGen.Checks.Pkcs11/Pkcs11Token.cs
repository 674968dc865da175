using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Checks.Pkcs11.Native;

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
/// The module is initialized once per process and shared by every <see cref="Pkcs11Token"/> on it;
/// it is finalized when the last of them is disposed (the DI container shuts down) or at process exit.
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
        _module = Pkcs11Module.Acquire(options.Module!);
    }

    /// <summary>Test hook: runs on the probe's dedicated thread before any native call.</summary>
    internal Action? BeforeNativeCalls { get; set; }

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
    /// Stops using the module; the last token on a module finalizes it. A probe still in flight
    /// finishes first and delivers its result.
    /// </summary>
    public void Dispose()
    {
        bool releaseNow;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            releaseNow = _inFlight is null; // otherwise the probe releases the module when it ends
        }

        if (releaseNow)
        {
            _module.Release();
        }
    }

    private void RunOnDedicatedThread(TaskCompletionSource<HealthResult> completion)
    {
        Interlocked.Increment(ref _probeRuns);
        HealthResult result = default;
        Exception? unexpected = null;
        try
        {
            BeforeNativeCalls?.Invoke();
            result = RunProbe();
        }
        catch (Exception e)
        {
            unexpected = e;
        }

        bool release;
        lock (_gate)
        {
            _inFlight = null;
            release = _disposed;
        }

        if (release)
        {
            _module.Release();
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

        if (!_module.TryEnter(out CryptokiLibrary library, out HealthResult failure))
        {
            return failure;
        }

        try
        {
            HealthResult result = _probe.Run(library, out nuint failedWith);
            if (failedWith == CryptokiResult.CKR_CRYPTOKI_NOT_INITIALIZED)
            {
                _module.ForgetInitialization();
            }

            return result;
        }
        finally
        {
            _module.Exit();
        }
    }
}
