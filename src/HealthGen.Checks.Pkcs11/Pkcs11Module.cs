using System;
using System.Collections.Generic;
using System.Threading;
using HealthGen.Checks.Pkcs11.Native;

namespace HealthGen.Checks.Pkcs11;

/// <summary>
/// One PKCS#11 module (by path) for the whole process. PKCS#11 allows one C_Initialize per process
/// until C_Finalize, and every <see cref="Pkcs11Token"/> on the same module shares that state, so the
/// module is loaded and initialized here once, and finalized when the last token using it is disposed
/// (the DI container shuts down) or, failing that, when the process exits.
/// </summary>
/// <remarks>
/// <para>
/// Only what this class initialized is finalized: when C_Initialize answers
/// CKR_CRYPTOKI_ALREADY_INITIALIZED, someone else in the process (the application's own HSM client)
/// owns the module, and finalizing it would close that owner's sessions.
/// </para>
/// <para>
/// The native library is never unloaded. Unloading code that other threads, callbacks or exit handlers
/// may still reach is a crash no probe could explain, and keeping it mapped costs nothing but memory.
/// Load failures are not remembered: the HSM client may be installed or mounted later.
/// </para>
/// </remarks>
internal sealed class Pkcs11Module
{
    private static readonly Dictionary<string, Pkcs11Module> s_modules = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private CryptokiLibrary? _library;
    private bool _initialized;
    private bool _initializedHere;
    private bool _processExiting;
    private int _users;
    private int _probesInside;
    private int _initializeCalls;

    static Pkcs11Module() => AppDomain.CurrentDomain.ProcessExit += static (_, _) => FinalizeAllAtExit();

    private Pkcs11Module(string path) => Path = path;

    /// <summary>The module's absolute path, the key under which it is shared.</summary>
    public string Path { get; }

    /// <summary>How many times C_Initialize was called on this module in this process (tests assert once).</summary>
    public int InitializeCalls => Volatile.Read(ref _initializeCalls);

    /// <summary>Registers one more user of the module at <paramref name="path"/>; pair with <see cref="Release"/>.</summary>
    public static Pkcs11Module Acquire(string path)
    {
        string key = System.IO.Path.GetFullPath(path);
        Pkcs11Module module;
        lock (s_modules)
        {
            if (!s_modules.TryGetValue(key, out module!))
            {
                module = new Pkcs11Module(key);
                s_modules.Add(key, module);
            }
        }

        lock (module._gate)
        {
            module._users++;
        }

        return module;
    }

    /// <summary>The last user gone: finalize what was initialized here, so a later user starts afresh.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _users--;
            if (_users == 0 && _probesInside == 0)
            {
                FinalizeIfInitializedHere();
            }
        }
    }

    /// <summary>
    /// Loads and initializes the module on first use, then counts the caller as inside it until
    /// <see cref="Exit"/>. On failure, <paramref name="failure"/> is the probe's result.
    /// </summary>
    public bool TryEnter(out CryptokiLibrary library, out HealthResult failure)
    {
        lock (_gate)
        {
            if (_processExiting)
            {
                library = null!;
                failure = HealthResult.Unhealthy("process is exiting");
                return false;
            }

            if (_library is null)
            {
                _library = CryptokiLibrary.Load(Path, out string? loadFailure, out Exception? exception);
                if (_library is null)
                {
                    library = null!;
                    failure = HealthResult.Unhealthy(loadFailure, exception);
                    return false;
                }
            }

            if (!_initialized)
            {
                _initializeCalls++;
                nuint rv = _library.Initialize();
                if (rv == CryptokiResult.CKR_OK)
                {
                    _initialized = true;
                    _initializedHere = true;
                }
                else if (rv == CryptokiResult.CKR_CRYPTOKI_ALREADY_INITIALIZED)
                {
                    _initialized = true;
                    _initializedHere = false;
                }
                else
                {
                    library = null!;
                    failure = HealthResult.Unhealthy("C_Initialize failed: " + CryptokiResult.Name(rv));
                    return false;
                }
            }

            _probesInside++;
            library = _library;
            failure = default;
            return true;
        }
    }

    /// <summary>Ends a <see cref="TryEnter"/>.</summary>
    public void Exit()
    {
        lock (_gate)
        {
            _probesInside--;
            if (_users == 0 && _probesInside == 0)
            {
                FinalizeIfInitializedHere();
            }
        }
    }

    /// <summary>
    /// A call answered CKR_CRYPTOKI_NOT_INITIALIZED: whoever owned the initialization finalized the
    /// module. The next probe initializes it again.
    /// </summary>
    public void ForgetInitialization()
    {
        lock (_gate)
        {
            _initialized = false;
            _initializedHere = false;
        }
    }

    private void FinalizeIfInitializedHere()
    {
        if (_initialized && _initializedHere)
        {
            _library!.Finalize();
        }

        _initialized = false;
        _initializedHere = false;
    }

    private static void FinalizeAllAtExit()
    {
        Pkcs11Module[] modules;
        lock (s_modules)
        {
            modules = [.. s_modules.Values];
        }

        foreach (Pkcs11Module module in modules)
        {
            // A probe stuck in a native call holds the gate or is inside the module: finalizing under it
            // could hang the exit or pull the module from under the call, so such a module is left as is.
            if (!module._gate.TryEnter())
            {
                continue;
            }

            try
            {
                module._processExiting = true;
                if (module._probesInside == 0)
                {
                    module.FinalizeIfInitializedHere();
                }
            }
            finally
            {
                module._gate.Exit();
            }
        }
    }
}
