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
internal sealed class TokenProbe
{
    private const nuint CKF_TOKEN_PRESENT = 0x1;
    private const nuint CKF_TOKEN_INITIALIZED = 0x400;
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
    /// <param name="failedWith">The CK_RV behind a failure (CKR_OK when there was none), so the caller can react to CKR_CRYPTOKI_NOT_INITIALIZED.</param>
    public HealthResult Run(CryptokiLibrary library, out nuint failedWith)
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
            int pinLength = Encoding.UTF8.GetBytes(pin, pinBuffer);
            rv = library.Login(session, pinBuffer[..pinLength]);
            switch (rv)
            {
                case CryptokiResult.CKR_OK:
                    library.Logout(session);
                    return HealthResult.Healthy(_subject + " present and initialized, login OK");
                case CryptokiResult.CKR_USER_ALREADY_LOGGED_IN:
                    // Login state is shared by every session of the process on this token: the application
                    // (or another probe) is logged in. Logging out would log it out too, so leave it be.
                    return HealthResult.Healthy(_subject + " present and initialized, login OK (user already logged in)");
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
}
