using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace HealthGen.Checks.Pkcs11.Native;

// The only file with unsafe code. It mirrors the PKCS#11 v2.40 headers (pkcs11t.h, pkcs11f.h) for
// LP64 Unix: CK_ULONG is the C `unsigned long`, i.e. nuint, and structs use natural alignment
// (Windows modules use 32-bit CK_ULONG and pack(1); they are not supported, see Pkcs11Token).
// Type and field names follow the specification so they can be checked against it line by line.

/// <summary>A loaded PKCS#11 module: its function list, called through unmanaged function pointers.</summary>
/// <remarks>
/// No <c>DllImport</c>, no delegates, no reflection: the module path is only known at run time, and
/// <c>delegate* unmanaged</c> calls are what native AOT compiles to direct indirect calls.
/// The library is never unloaded; see <see cref="Pkcs11Module"/>.
/// </remarks>
internal sealed unsafe class CryptokiLibrary
{
    private const string GetFunctionListExport = "C_GetFunctionList";
    private const nuint CKF_OS_LOCKING_OK = 0x2;
    private const nuint CKF_SERIAL_SESSION = 0x4;
    private const nuint CKU_USER = 1;
    private const byte CK_TRUE = 1;
    private const byte CK_FALSE = 0;

    private readonly CK_FUNCTION_LIST* _functions;

    private CryptokiLibrary(CK_FUNCTION_LIST* functions) => _functions = functions;

    /// <summary>
    /// Loads the module and asks it for its function list. Expected failures come back as a
    /// description for the probe, not as exceptions.
    /// </summary>
    public static CryptokiLibrary? Load(string path, out string? failure, out Exception? exception)
    {
        exception = null;
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            failure = "module not found";
            return null;
        }

        nint handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            failure = "module could not be loaded";
            exception = e; // carries the loader's reason (dlerror), shown on the details endpoint only
            return null;
        }

        if (!NativeLibrary.TryGetExport(handle, GetFunctionListExport, out nint export))
        {
            NativeLibrary.Free(handle);
            failure = "not a PKCS#11 module";
            return null;
        }

        var getFunctionList = (delegate* unmanaged<CK_FUNCTION_LIST**, nuint>)export;
        CK_FUNCTION_LIST* functions = null;
        nuint rv = getFunctionList(&functions);
        if (rv != CryptokiResult.CKR_OK)
        {
            // Left loaded, like every module (see Pkcs11Module); loading it again only counts up the loader's reference.
            failure = "C_GetFunctionList failed: " + CryptokiResult.Name(rv);
            return null;
        }

        if (functions is null || functions->version.major < 2
            || functions->C_Initialize is null
            || functions->C_GetSlotList is null || functions->C_GetSlotInfo is null || functions->C_GetTokenInfo is null
            || functions->C_OpenSession is null || functions->C_CloseSession is null || functions->C_GetSessionInfo is null
            || functions->C_Login is null || functions->C_Logout is null)
        {
            failure = "not a PKCS#11 module";
            return null;
        }

        failure = null;
        return new CryptokiLibrary(functions);
    }

    // There is deliberately no C_Finalize here: finalizing is process-wide and the check never knows whether
    // the application uses the module too (docs/checks.md, "Lifecycle"), so the binding cannot do it at all.

    /// <summary>C_Initialize with the OS's own locking, because probes call in from several threads.</summary>
    public nuint Initialize()
    {
        CK_C_INITIALIZE_ARGS args = default;
        args.flags = CKF_OS_LOCKING_OK;
        return _functions->C_Initialize(&args);
    }

    public nuint GetSlotList(bool tokenPresent, out nuint[] slots)
    {
        byte present = tokenPresent ? CK_TRUE : CK_FALSE;
        slots = [];
        while (true)
        {
            nuint count = 0;
            nuint rv = _functions->C_GetSlotList(present, null, &count);
            if (rv != CryptokiResult.CKR_OK || count == 0)
            {
                return rv;
            }

            var buffer = new nuint[count];
            fixed (nuint* list = buffer)
            {
                rv = _functions->C_GetSlotList(present, list, &count);
            }

            if (rv == CryptokiResult.CKR_BUFFER_TOO_SMALL)
            {
                continue; // a slot appeared between the two calls: ask again
            }

            if (rv == CryptokiResult.CKR_OK)
            {
                slots = buffer.AsSpan(0, (int)Math.Min(count, (nuint)buffer.Length)).ToArray();
            }

            return rv;
        }
    }

    public nuint GetSlotFlags(nuint slotId, out nuint flags)
    {
        CK_SLOT_INFO info;
        nuint rv = _functions->C_GetSlotInfo(slotId, &info);
        flags = rv == CryptokiResult.CKR_OK ? info.flags : 0;
        return rv;
    }

    public nuint GetTokenInfo(nuint slotId, out string label, out nuint flags)
    {
        CK_TOKEN_INFO info;
        nuint rv = _functions->C_GetTokenInfo(slotId, &info);
        if (rv != CryptokiResult.CKR_OK)
        {
            label = string.Empty;
            flags = 0;
            return rv;
        }

        // 32 bytes of UTF-8, padded with blanks (some modules pad with NULs instead).
        var bytes = new ReadOnlySpan<byte>(info.label, 32).TrimEnd((byte)' ').TrimEnd((byte)0);
        label = Encoding.UTF8.GetString(bytes);
        flags = info.flags;
        return rv;
    }

    /// <summary>A read-only session: the probe never changes anything on the token.</summary>
    public nuint OpenSession(nuint slotId, out nuint session)
    {
        nuint handle = 0;
        nuint rv = _functions->C_OpenSession(slotId, CKF_SERIAL_SESSION, null, null, &handle);
        session = handle;
        return rv;
    }

    /// <summary>The session's state (CKS_*): whether the process is logged in to the token, which every session shares.</summary>
    public nuint GetSessionState(nuint session, out nuint state)
    {
        CK_SESSION_INFO info;
        nuint rv = _functions->C_GetSessionInfo(session, &info);
        state = rv == CryptokiResult.CKR_OK ? info.state : 0;
        return rv;
    }

    public nuint Login(nuint session, ReadOnlySpan<byte> userPin)
    {
        fixed (byte* pin = userPin)
        {
            return _functions->C_Login(session, CKU_USER, pin, (nuint)userPin.Length);
        }
    }

    public nuint Logout(nuint session) => _functions->C_Logout(session);

    public nuint CloseSession(nuint session) => _functions->C_CloseSession(session);
}

[StructLayout(LayoutKind.Sequential)]
internal struct CK_VERSION
{
    public byte major;
    public byte minor;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_C_INITIALIZE_ARGS
{
    public void* CreateMutex;
    public void* DestroyMutex;
    public void* LockMutex;
    public void* UnlockMutex;
    public nuint flags;
    public void* pReserved;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_SLOT_INFO
{
    public fixed byte slotDescription[64];
    public fixed byte manufacturerID[32];
    public nuint flags;
    public CK_VERSION hardwareVersion;
    public CK_VERSION firmwareVersion;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_TOKEN_INFO
{
    public fixed byte label[32];
    public fixed byte manufacturerID[32];
    public fixed byte model[16];
    public fixed byte serialNumber[16];
    public nuint flags;
    public nuint ulMaxSessionCount;
    public nuint ulSessionCount;
    public nuint ulMaxRwSessionCount;
    public nuint ulRwSessionCount;
    public nuint ulMaxPinLen;
    public nuint ulMinPinLen;
    public nuint ulTotalPublicMemory;
    public nuint ulFreePublicMemory;
    public nuint ulTotalPrivateMemory;
    public nuint ulFreePrivateMemory;
    public CK_VERSION hardwareVersion;
    public CK_VERSION firmwareVersion;
    public fixed byte utcTime[16];
}

[StructLayout(LayoutKind.Sequential)]
internal struct CK_SESSION_INFO
{
    public nuint slotID;
    public nuint state;
    public nuint flags;
    public nuint ulDeviceError;
}

/// <summary>
/// The v2.40 function list, every entry in the specification's order (a v3.0 module returns the same
/// prefix from C_GetFunctionList). Entries the probe does not call are plain pointers.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_FUNCTION_LIST
{
    public CK_VERSION version;
    public delegate* unmanaged<CK_C_INITIALIZE_ARGS*, nuint> C_Initialize;
    public delegate* unmanaged<void*, nuint> C_Finalize;
    public void* C_GetInfo;
    public void* C_GetFunctionList;
    public delegate* unmanaged<byte, nuint*, nuint*, nuint> C_GetSlotList;
    public delegate* unmanaged<nuint, CK_SLOT_INFO*, nuint> C_GetSlotInfo;
    public delegate* unmanaged<nuint, CK_TOKEN_INFO*, nuint> C_GetTokenInfo;
    public void* C_GetMechanismList;
    public void* C_GetMechanismInfo;
    public void* C_InitToken;
    public void* C_InitPIN;
    public void* C_SetPIN;
    public delegate* unmanaged<nuint, nuint, void*, void*, nuint*, nuint> C_OpenSession;
    public delegate* unmanaged<nuint, nuint> C_CloseSession;
    public void* C_CloseAllSessions;
    public delegate* unmanaged<nuint, CK_SESSION_INFO*, nuint> C_GetSessionInfo;
    public void* C_GetOperationState;
    public void* C_SetOperationState;
    public delegate* unmanaged<nuint, nuint, byte*, nuint, nuint> C_Login;
    public delegate* unmanaged<nuint, nuint> C_Logout;
    public void* C_CreateObject;
    public void* C_CopyObject;
    public void* C_DestroyObject;
    public void* C_GetObjectSize;
    public void* C_GetAttributeValue;
    public void* C_SetAttributeValue;
    public void* C_FindObjectsInit;
    public void* C_FindObjects;
    public void* C_FindObjectsFinal;
    public void* C_EncryptInit;
    public void* C_Encrypt;
    public void* C_EncryptUpdate;
    public void* C_EncryptFinal;
    public void* C_DecryptInit;
    public void* C_Decrypt;
    public void* C_DecryptUpdate;
    public void* C_DecryptFinal;
    public void* C_DigestInit;
    public void* C_Digest;
    public void* C_DigestUpdate;
    public void* C_DigestKey;
    public void* C_DigestFinal;
    public void* C_SignInit;
    public void* C_Sign;
    public void* C_SignUpdate;
    public void* C_SignFinal;
    public void* C_SignRecoverInit;
    public void* C_SignRecover;
    public void* C_VerifyInit;
    public void* C_Verify;
    public void* C_VerifyUpdate;
    public void* C_VerifyFinal;
    public void* C_VerifyRecoverInit;
    public void* C_VerifyRecover;
    public void* C_DigestEncryptUpdate;
    public void* C_DecryptDigestUpdate;
    public void* C_SignEncryptUpdate;
    public void* C_DecryptVerifyUpdate;
    public void* C_GenerateKey;
    public void* C_GenerateKeyPair;
    public void* C_WrapKey;
    public void* C_UnwrapKey;
    public void* C_DeriveKey;
    public void* C_SeedRandom;
    public void* C_GenerateRandom;
    public void* C_GetFunctionStatus;
    public void* C_CancelFunction;
    public void* C_WaitForSlotEvent;
}
