using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HealthGen.Checks.Pkcs11.Native;

namespace HealthGen.Checks.Pkcs11;

/// <summary>
/// The PKCS#11 call sequence of one probe: find the token, check its flags, optionally log in.
/// Every expected failure becomes an unhealthy result with a fixed phrase an operator can look up
/// (docs/checks.md); the PIN is only ever handed to C_Login.
/// </summary>
/// <remarks>
/// Login state belongs to the process: every session of the application shares it, C_Logout logs them all
/// out, and while anyone in the process is logged in, the application's own C_Login answers
/// CKR_USER_ALREADY_LOGGED_IN. Even an open session matters, because closing the process's last session on a
/// token logs it out. So without a PIN, or once another client is seen using the module, the probe opens no
/// session at all and cannot change any login state (docs/checks.md, "Login").
/// </remarks>
internal sealed class TokenProbe
{
    private const nuint CKF_TOKEN_PRESENT = 0x1;
    private const nuint CKF_TOKEN_INITIALIZED = 0x400;
    private const nuint CKS_RO_USER_FUNCTIONS = 1;
    private const nuint CKS_RW_USER_FUNCTIONS = 3;
    private const int StackPinBytes = 256;

    private readonly string? _tokenLabel;
    private readonly ulong? _slotId;
    private readonly string? _pin;
    private readonly string _subject;

    public TokenProbe(string? tokenLabel, ulong? slotId, string? pin)
    {
        _tokenLabel = tokenLabel;
        _slotId = slotId;
        _pin = string.IsNullOrEmpty(pin) ? null : pin;
        _subject = tokenLabel is not null
            ? $"token '{tokenLabel}'"
            : string.Create(CultureInfo.InvariantCulture, $"token in slot {slotId}");
    }

    /// <param name="library">An initialized module.</param>
    /// <param name="sharedInProcess">Another PKCS#11 client in this process uses the module: never log in.</param>
    /// <param name="failedWith">The CK_RV behind a failure (CKR_OK when there was none), so the caller can react to CKR_CRYPTOKI_NOT_INITIALIZED.</param>
    public HealthResult Run(CryptokiLibrary library, bool sharedInProcess, out nuint failedWith)
    {
        failedWith = CryptokiResult.CKR_OK;
        nuint slot;
        nuint tokenFlags;
        HealthResult? failure = _tokenLabel is not null
            ? FindByLabel(library, _tokenLabel, out slot, out tokenFlags, ref failedWith)
            : FindBySlot(library, _slotId!.Value, out slot, out tokenFlags, ref failedWith);
        if (failure is { } found)
        {
            return found;
        }

        if ((tokenFlags & CKF_TOKEN_INITIALIZED) == 0)
        {
            return HealthResult.Unhealthy("token not initialized");
        }

        if (_pin is null)
        {
            return HealthResult.Healthy(_subject + " present and initialized");
        }

        if (sharedInProcess)
        {
            // The application logs in with its own client, perhaps at this very moment: any C_Login or
            // C_Logout here, even an open session, could make its login fail or log it out.
            return HealthResult.Healthy(_subject + " present and initialized, login not checked (the module is shared with another PKCS#11 client in this process)");
        }

        return LogIn(library, slot, _pin, ref failedWith);
    }

    private static HealthResult? FindByLabel(CryptokiLibrary library, string label, out nuint slot, out nuint tokenFlags, ref nuint failedWith)
    {
        slot = 0;
        tokenFlags = 0;
        nuint rv = library.GetSlotList(tokenPresent: true, out nuint[] slots);
        if (rv != CryptokiResult.CKR_OK)
        {
            failedWith = rv;
            return HealthResult.Unhealthy("C_GetSlotList failed: " + CryptokiResult.Name(rv));
        }

        nuint unreadableSlot = 0;
        nuint unreadableWith = CryptokiResult.CKR_OK;
        foreach (nuint candidate in slots)
        {
            rv = library.GetTokenInfo(candidate, out string candidateLabel, out nuint candidateFlags);
            if (rv != CryptokiResult.CKR_OK)
            {
                if (unreadableWith == CryptokiResult.CKR_OK)
                {
                    (unreadableSlot, unreadableWith) = (candidate, rv);
                }

                continue;
            }

            if (string.Equals(candidateLabel, label, StringComparison.Ordinal))
            {
                slot = candidate;
                tokenFlags = candidateFlags;
                return null;
            }
        }

        if (unreadableWith == CryptokiResult.CKR_OK)
        {
            return HealthResult.Unhealthy($"no token with label '{label}'");
        }

        // The token may be the one that cannot be read (SoftHSM2 answers CKR_GENERAL_ERROR for a token
        // whose files are gone): say so, or the operator looks for a typo in the label.
        failedWith = unreadableWith;
        return HealthResult.Unhealthy(string.Create(CultureInfo.InvariantCulture,
            $"no token with label '{label}' (slot {unreadableSlot} could not be read: {CryptokiResult.Name(unreadableWith)})"));
    }

    private static HealthResult? FindBySlot(CryptokiLibrary library, ulong slotId, out nuint slot, out nuint tokenFlags, ref nuint failedWith)
    {
        slot = 0;
        tokenFlags = 0;
        if (slotId > nuint.MaxValue)
        {
            return SlotNotFound(slotId);
        }

        slot = (nuint)slotId;
        nuint rv = library.GetSlotFlags(slot, out nuint slotFlags);
        if (rv == CryptokiResult.CKR_SLOT_ID_INVALID)
        {
            return SlotNotFound(slotId);
        }

        if (rv != CryptokiResult.CKR_OK)
        {
            failedWith = rv;
            return HealthResult.Unhealthy("C_GetSlotInfo failed: " + CryptokiResult.Name(rv));
        }

        if ((slotFlags & CKF_TOKEN_PRESENT) == 0)
        {
            return HealthResult.Unhealthy("token not present");
        }

        rv = library.GetTokenInfo(slot, out _, out tokenFlags);
        if (rv == CryptokiResult.CKR_OK)
        {
            return null;
        }

        failedWith = rv;
        return rv switch
        {
            CryptokiResult.CKR_TOKEN_NOT_PRESENT or CryptokiResult.CKR_DEVICE_REMOVED => HealthResult.Unhealthy("token not present"),
            CryptokiResult.CKR_TOKEN_NOT_RECOGNIZED => HealthResult.Unhealthy("token not recognized"),
            CryptokiResult.CKR_SLOT_ID_INVALID => SlotNotFound(slotId),
            _ => HealthResult.Unhealthy("C_GetTokenInfo failed: " + CryptokiResult.Name(rv)),
        };
    }

    private static HealthResult SlotNotFound(ulong slotId)
        => HealthResult.Unhealthy(string.Create(CultureInfo.InvariantCulture, $"slot {slotId} not found"));

    private HealthResult LogIn(CryptokiLibrary library, nuint slot, string pin, ref nuint failedWith)
    {
        nuint rv = library.OpenSession(slot, out nuint session);
        if (rv != CryptokiResult.CKR_OK)
        {
            failedWith = rv;
            return rv is CryptokiResult.CKR_TOKEN_NOT_PRESENT or CryptokiResult.CKR_DEVICE_REMOVED
                ? HealthResult.Unhealthy("token not present")
                : HealthResult.Unhealthy("C_OpenSession failed: " + CryptokiResult.Name(rv));
        }

        int maxPinBytes = Encoding.UTF8.GetMaxByteCount(pin.Length);
        Span<byte> pinBuffer = maxPinBytes <= StackPinBytes ? stackalloc byte[StackPinBytes] : new byte[maxPinBytes];
        try
        {
            // A new session shows the process's login state. Logged in already: someone in the process proved
            // the PIN, and a C_Logout would log them out too, so neither log in nor out.
            rv = library.GetSessionState(session, out nuint state);
            if (rv != CryptokiResult.CKR_OK)
            {
                failedWith = rv;
                return HealthResult.Unhealthy("C_GetSessionInfo failed: " + CryptokiResult.Name(rv));
            }

            if (state is CKS_RO_USER_FUNCTIONS or CKS_RW_USER_FUNCTIONS)
            {
                return AlreadyLoggedIn();
            }

            int pinLength = Encoding.UTF8.GetBytes(pin, pinBuffer);
            rv = library.Login(session, pinBuffer[..pinLength]);
            switch (rv)
            {
                case CryptokiResult.CKR_OK:
                    library.Logout(session);
                    return HealthResult.Healthy(_subject + " present and initialized, login OK");
                case CryptokiResult.CKR_USER_ALREADY_LOGGED_IN:
                    // Someone in the process logged in since C_GetSessionInfo: leave it be, as above.
                    return AlreadyLoggedIn();
                case CryptokiResult.CKR_PIN_INCORRECT:
                    failedWith = rv;
                    return HealthResult.Unhealthy("login failed: PIN incorrect");
                case CryptokiResult.CKR_PIN_LOCKED:
                    failedWith = rv;
                    return HealthResult.Unhealthy("login failed: PIN locked");
                default:
                    failedWith = rv;
                    return HealthResult.Unhealthy("login failed: " + CryptokiResult.Name(rv));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinBuffer);
            library.CloseSession(session);
        }
    }

    private HealthResult AlreadyLoggedIn() => HealthResult.Healthy(_subject + " present and initialized, login OK (user already logged in)");
}
