using System.Globalization;

namespace HealthGen.Checks.Pkcs11.Native;

/// <summary>
/// The CK_RV values the probe tells apart, and their specification names for descriptions, so an
/// operator can look a failure up in the PKCS#11 specification or the HSM vendor's manual.
/// </summary>
internal static class CryptokiResult
{
    public const nuint CKR_OK = 0x0;
    public const nuint CKR_HOST_MEMORY = 0x2;
    public const nuint CKR_SLOT_ID_INVALID = 0x3;
    public const nuint CKR_GENERAL_ERROR = 0x5;
    public const nuint CKR_FUNCTION_FAILED = 0x6;
    public const nuint CKR_ARGUMENTS_BAD = 0x7;
    public const nuint CKR_NEED_TO_CREATE_THREADS = 0x9;
    public const nuint CKR_CANT_LOCK = 0xA;
    public const nuint CKR_DEVICE_ERROR = 0x30;
    public const nuint CKR_DEVICE_MEMORY = 0x31;
    public const nuint CKR_DEVICE_REMOVED = 0x32;
    public const nuint CKR_FUNCTION_NOT_SUPPORTED = 0x54;
    public const nuint CKR_PIN_INCORRECT = 0xA0;
    public const nuint CKR_PIN_INVALID = 0xA1;
    public const nuint CKR_PIN_LEN_RANGE = 0xA2;
    public const nuint CKR_PIN_EXPIRED = 0xA3;
    public const nuint CKR_PIN_LOCKED = 0xA4;
    public const nuint CKR_SESSION_COUNT = 0xB1;
    public const nuint CKR_SESSION_HANDLE_INVALID = 0xB3;
    public const nuint CKR_SESSION_PARALLEL_NOT_SUPPORTED = 0xB4;
    public const nuint CKR_SESSION_READ_WRITE_SO_EXISTS = 0xB8;
    public const nuint CKR_TOKEN_NOT_PRESENT = 0xE0;
    public const nuint CKR_TOKEN_NOT_RECOGNIZED = 0xE1;
    public const nuint CKR_USER_ALREADY_LOGGED_IN = 0x100;
    public const nuint CKR_USER_PIN_NOT_INITIALIZED = 0x102;
    public const nuint CKR_USER_TYPE_INVALID = 0x103;
    public const nuint CKR_USER_ANOTHER_ALREADY_LOGGED_IN = 0x104;
    public const nuint CKR_USER_TOO_MANY_TYPES = 0x105;
    public const nuint CKR_BUFFER_TOO_SMALL = 0x150;
    public const nuint CKR_CRYPTOKI_NOT_INITIALIZED = 0x190;
    public const nuint CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;

    /// <summary>"CKR_PIN_INCORRECT" for a value listed here, "CKR_0x1C3" for any other.</summary>
    public static string Name(nuint rv) => rv switch
    {
        CKR_OK => nameof(CKR_OK),
        CKR_HOST_MEMORY => nameof(CKR_HOST_MEMORY),
        CKR_SLOT_ID_INVALID => nameof(CKR_SLOT_ID_INVALID),
        CKR_GENERAL_ERROR => nameof(CKR_GENERAL_ERROR),
        CKR_FUNCTION_FAILED => nameof(CKR_FUNCTION_FAILED),
        CKR_ARGUMENTS_BAD => nameof(CKR_ARGUMENTS_BAD),
        CKR_NEED_TO_CREATE_THREADS => nameof(CKR_NEED_TO_CREATE_THREADS),
        CKR_CANT_LOCK => nameof(CKR_CANT_LOCK),
        CKR_DEVICE_ERROR => nameof(CKR_DEVICE_ERROR),
        CKR_DEVICE_MEMORY => nameof(CKR_DEVICE_MEMORY),
        CKR_DEVICE_REMOVED => nameof(CKR_DEVICE_REMOVED),
        CKR_FUNCTION_NOT_SUPPORTED => nameof(CKR_FUNCTION_NOT_SUPPORTED),
        CKR_PIN_INCORRECT => nameof(CKR_PIN_INCORRECT),
        CKR_PIN_INVALID => nameof(CKR_PIN_INVALID),
        CKR_PIN_LEN_RANGE => nameof(CKR_PIN_LEN_RANGE),
        CKR_PIN_EXPIRED => nameof(CKR_PIN_EXPIRED),
        CKR_PIN_LOCKED => nameof(CKR_PIN_LOCKED),
        CKR_SESSION_COUNT => nameof(CKR_SESSION_COUNT),
        CKR_SESSION_HANDLE_INVALID => nameof(CKR_SESSION_HANDLE_INVALID),
        CKR_SESSION_PARALLEL_NOT_SUPPORTED => nameof(CKR_SESSION_PARALLEL_NOT_SUPPORTED),
        CKR_SESSION_READ_WRITE_SO_EXISTS => nameof(CKR_SESSION_READ_WRITE_SO_EXISTS),
        CKR_TOKEN_NOT_PRESENT => nameof(CKR_TOKEN_NOT_PRESENT),
        CKR_TOKEN_NOT_RECOGNIZED => nameof(CKR_TOKEN_NOT_RECOGNIZED),
        CKR_USER_ALREADY_LOGGED_IN => nameof(CKR_USER_ALREADY_LOGGED_IN),
        CKR_USER_PIN_NOT_INITIALIZED => nameof(CKR_USER_PIN_NOT_INITIALIZED),
        CKR_USER_TYPE_INVALID => nameof(CKR_USER_TYPE_INVALID),
        CKR_USER_ANOTHER_ALREADY_LOGGED_IN => nameof(CKR_USER_ANOTHER_ALREADY_LOGGED_IN),
        CKR_USER_TOO_MANY_TYPES => nameof(CKR_USER_TOO_MANY_TYPES),
        CKR_BUFFER_TOO_SMALL => nameof(CKR_BUFFER_TOO_SMALL),
        CKR_CRYPTOKI_NOT_INITIALIZED => nameof(CKR_CRYPTOKI_NOT_INITIALIZED),
        CKR_CRYPTOKI_ALREADY_INITIALIZED => nameof(CKR_CRYPTOKI_ALREADY_INITIALIZED),
        _ => "CKR_0x" + rv.ToString("X", CultureInfo.InvariantCulture),
    };
}
