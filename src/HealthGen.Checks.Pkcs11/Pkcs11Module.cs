using System;
using System.Collections.Generic;
using System.Threading;
using HealthGen.Checks.Pkcs11.Native;

namespace HealthGen.Checks.Pkcs11;

/// <summary>
/// One PKCS#11 module (by path) for the whole process, shared by every <see cref="Pkcs11Token"/> on it and,
/// often, by the application's own PKCS#11 client: initialization and login state belong to the process, not
/// to whoever called C_Initialize or C_Login (docs/checks.md, "Lifecycle").
/// </summary>
/// <remarks>
/// <para>
/// The check initializes the module when it finds it uninitialized, and never finalizes it: C_Finalize is
/// process-wide, and the check cannot know that nobody else uses the module (a client that initializes after
/// the check merely gets CKR_CRYPTOKI_ALREADY_INITIALIZED, which the check never sees). Finalization is the
/// application's, or the process exit's. When the application finalizes under the check, the next call
/// answers CKR_CRYPTOKI_NOT_INITIALIZED: the check initializes the module again and runs the probe once more.
/// </para>
/// <para>
/// One caller is inside the module at a time: a probe (of any token on it) or an application's pause
/// (<see cref="TryPause"/>). PKCS#11 leaves C_Finalize undefined while another thread of the process is
/// inside a Cryptoki call, and modules do not guard C_Initialize against concurrent calls either (SoftHSM2
/// takes no lock in it), so the application needs a moment when no probe is inside; serializing the probes
/// also keeps the check's own re-initialization from overlapping another probe's calls. Probes
/// are rare (once per cache window), so nothing waits for long.
/// </para>
/// <para>
/// The native library is never unloaded. Unloading code that other threads or callbacks may still reach is a
/// crash no probe could explain, and keeping it mapped costs nothing but memory. Load failures are not
/// remembered: the HSM client may be installed or mounted later.
/// </para>
/// </remarks>
internal sealed class Pkcs11Module
{
    private static readonly Dictionary<string, Pkcs11Module> s_modules = new(StringComparer.Ordinal);

    // Never disposed: the module lives as long as the process, like the native library behind it.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private CryptokiLibrary? _library;
    private bool _initialized;
    private bool _sharedInProcess;
    private int _initializeCalls;

    private Pkcs11Module(string path) => Path = path;

    /// <summary>The module's absolute path, the key under which it is shared.</summary>
    public string Path { get; }

    /// <summary>How many times the check called C_Initialize on this module in this process.</summary>
    public int InitializeCalls => Volatile.Read(ref _initializeCalls);

    /// <summary>
    /// Whether the check has seen another PKCS#11 client in this process use the module: it found the module
    /// initialized, had it finalized under it, or was paused. From then on it never logs in (see TokenProbe).
    /// </summary>
    public bool SharedInProcess => Volatile.Read(ref _sharedInProcess);

    /// <summary>The module at <paramref name="path"/>, the same instance for every caller in the process.</summary>
    public static Pkcs11Module ForPath(string path)
    {
        string key = System.IO.Path.GetFullPath(path);
        lock (s_modules)
        {
            if (!s_modules.TryGetValue(key, out Pkcs11Module? module))
            {
                module = new Pkcs11Module(key);
                s_modules.Add(key, module);
            }

            return module;
        }
    }

    /// <summary>
    /// Runs one probe inside the module: waits for its turn, loads and initializes the module when needed,
    /// and initializes it again once when the application finalized it under the probe.
    /// </summary>
    /// <param name="probe">The token's call sequence.</param>
    /// <param name="insideModule">Test hook: runs once the probe has its turn, before any native call.</param>
    public HealthResult Probe(TokenProbe probe, Action? insideModule)
    {
        _turn.Wait();
        try
        {
            insideModule?.Invoke();
            return ProbeInTurn(probe);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Keeps every probe out of the module until <see cref="Resume"/>, waiting up to <paramref name="timeout"/>
    /// for one already inside. Whoever pauses the check uses the module itself, so it counts as shared from now on.
    /// </summary>
    public bool TryPause(TimeSpan timeout)
    {
        if (!_turn.Wait(timeout))
        {
            return false;
        }

        Volatile.Write(ref _sharedInProcess, true);
        return true;
    }

    /// <summary>Ends a successful <see cref="TryPause"/>.</summary>
    public void Resume() => _turn.Release();

    private HealthResult ProbeInTurn(TokenProbe probe)
    {
        if (_library is null)
        {
            _library = CryptokiLibrary.Load(Path, out string? loadFailure, out Exception? exception);
            if (_library is null)
            {
                return HealthResult.Unhealthy(loadFailure, exception);
            }
        }

        if (!_initialized && !TryInitialize(out HealthResult failure))
        {
            return failure;
        }

        HealthResult result = probe.Run(_library, SharedInProcess, out nuint failedWith);
        if (failedWith != CryptokiResult.CKR_CRYPTOKI_NOT_INITIALIZED)
        {
            return result;
        }

        // The check never finalizes, so someone else in the process did (the application's client, e.g.
        // Pkcs11Interop's Dispose): the module has another user, and needs initializing again. Once; a module
        // finalized again meanwhile is initialized by the next probe.
        Volatile.Write(ref _sharedInProcess, true);
        _initialized = false;
        if (!TryInitialize(out failure))
        {
            return failure;
        }

        result = probe.Run(_library, SharedInProcess, out failedWith);
        if (failedWith == CryptokiResult.CKR_CRYPTOKI_NOT_INITIALIZED)
        {
            _initialized = false;
        }

        return result;
    }

    private bool TryInitialize(out HealthResult failure)
    {
        Interlocked.Increment(ref _initializeCalls);
        nuint rv = _library!.Initialize();
        if (rv == CryptokiResult.CKR_OK)
        {
            _initialized = true;
            failure = default;
            return true;
        }

        if (rv == CryptokiResult.CKR_CRYPTOKI_ALREADY_INITIALIZED)
        {
            // Someone else in the process initialized it: the application's own client.
            _initialized = true;
            Volatile.Write(ref _sharedInProcess, true);
            failure = default;
            return true;
        }

        failure = HealthResult.Unhealthy("C_Initialize failed: " + CryptokiResult.Name(rv));
        return false;
    }
}
