using System;
using System.Collections.Generic;
using System.Linq;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace HealthGen.Checks.Pkcs11.HostApp;

/// <summary>
/// The application's own use of its HSM token, written the way a .NET service does it with Pkcs11Interop:
/// load and initialize the library, open a read-write session, log in as user, then work with private
/// objects (which PKCS#11 allows only in a logged-in session). Nothing here knows about HealthGen: the
/// tests prove that HealthGen's check on the same module in the same process never breaks this code.
/// </summary>
/// <remarks>
/// Like real applications, it lets Pkcs11Interop's exceptions through, also from <see cref="Dispose"/>
/// (Pkcs11Interop's session throws when <c>C_CloseSession</c> fails): that is how a module finalized
/// under the application crashes it at shutdown.
/// </remarks>
internal sealed class ApplicationHsm : IDisposable
{
    private readonly string _modulePath;
    private readonly string _tokenLabel;
    private readonly string _pin;
    private readonly Pkcs11InteropFactories _factories = new();
    private readonly object _gate = new();
    private IPkcs11Library? _library;
    private ISession? _session;
    private int _objectsCreated;

    public ApplicationHsm(string modulePath, string tokenLabel, string pin)
    {
        _modulePath = modulePath;
        _tokenLabel = tokenLabel;
        _pin = pin;
        Pkcs11InteropLibdl.Redirect();
    }

    /// <summary>How many private session objects the application created (and destroyed) so far.</summary>
    public int ObjectsCreated
    {
        get
        {
            lock (_gate)
            {
                return _objectsCreated;
            }
        }
    }

    public bool IsInitialized
    {
        get
        {
            lock (_gate)
            {
                return _library is not null;
            }
        }
    }

    /// <summary>
    /// <c>C_Initialize</c> through Pkcs11Interop, which accepts <c>CKR_CRYPTOKI_ALREADY_INITIALIZED</c>
    /// (someone else in the process, e.g. HealthGen's check, initialized the module first).
    /// </summary>
    public void Initialize()
    {
        lock (_gate)
        {
            _library ??= _factories.Pkcs11LibraryFactory.LoadPkcs11Library(_factories, _modulePath, AppType.MultiThreaded);
        }
    }

    /// <summary>Opens a read-write session and logs in as user; throws when <c>C_Login</c> fails (e.g. CKR_USER_ALREADY_LOGGED_IN).</summary>
    public void OpenSessionAndLogIn()
    {
        lock (_gate)
        {
            if (_session is not null)
            {
                return;
            }

            IPkcs11Library library = _library ?? throw new InvalidOperationException("Initialize first.");
            ISlot slot = library.GetSlotList(SlotsType.WithTokenPresent)
                .FirstOrDefault(candidate => string.Equals(candidate.GetTokenInfo().Label.TrimEnd(' '), _tokenLabel, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"No token with label '{_tokenLabel}'.");
            ISession session = slot.OpenSession(SessionType.ReadWrite);
            try
            {
                session.Login(CKU.CKU_USER, _pin);
            }
            catch
            {
                session.Dispose();
                throw;
            }

            _session = session;
        }
    }

    /// <summary>Logs out and closes the session (the application's own logout, e.g. before it logs in again).</summary>
    public void LogOutAndCloseSession()
    {
        lock (_gate)
        {
            if (_session is null)
            {
                return;
            }

            ISession session = _session;
            _session = null;
            try
            {
                session.Logout();
            }
            finally
            {
                session.Dispose();
            }
        }
    }

    /// <summary>Whether the application's session is logged in as user (C_GetSessionInfo).</summary>
    public bool IsLoggedIn
    {
        get
        {
            lock (_gate)
            {
                return _session?.GetSessionInfo().State == CKS.CKS_RW_USER_FUNCTIONS;
            }
        }
    }

    /// <summary>
    /// Creates a private session object and destroys it again: fails with CKR_USER_NOT_LOGGED_IN unless the
    /// application's session is still logged in.
    /// </summary>
    public void CreateAndDestroyPrivateObject()
    {
        lock (_gate)
        {
            ISession session = _session ?? throw new InvalidOperationException("Log in first.");
            var attributes = new List<IObjectAttribute>
            {
                _factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_DATA),
                _factories.ObjectAttributeFactory.Create(CKA.CKA_TOKEN, false),
                _factories.ObjectAttributeFactory.Create(CKA.CKA_PRIVATE, true),
                _factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, "healthgen-application-object"),
                _factories.ObjectAttributeFactory.Create(CKA.CKA_VALUE, new byte[] { 1, 2, 3, 4 }),
            };
            IObjectHandle handle = session.CreateObject(attributes);
            session.DestroyObject(handle);
            _objectsCreated++;
        }
    }

    /// <summary>
    /// The application's first use of the token: initialize, open the session and log in when that has not
    /// happened yet, then work with a private object.
    /// </summary>
    public void Use()
    {
        lock (_gate)
        {
            Initialize();
            OpenSessionAndLogIn();
            CreateAndDestroyPrivateObject();
        }
    }

    /// <summary>
    /// Closes the session and disposes the library, which is how Pkcs11Interop finalizes: <c>C_Finalize</c>
    /// (process-wide) and <c>dlclose</c>. The application may <see cref="Initialize"/> again afterwards.
    /// </summary>
    public void FinalizeLibrary()
    {
        lock (_gate)
        {
            ISession? session = _session;
            IPkcs11Library? library = _library;
            _session = null;
            _library = null;
            try
            {
                session?.Dispose();
            }
            finally
            {
                library?.Dispose();
            }
        }
    }

    public void Dispose() => FinalizeLibrary();
}
