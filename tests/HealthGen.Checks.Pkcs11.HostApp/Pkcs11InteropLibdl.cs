using System;
using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.HighLevelAPI;

namespace HealthGen.Checks.Pkcs11.HostApp;

/// <summary>
/// Lets Pkcs11Interop 5.3.0 load PKCS#11 modules on current Linux distributions.
/// </summary>
/// <remarks>
/// Pkcs11Interop calls <c>dlopen</c>, <c>dlsym</c>, <c>dlclose</c> and <c>dlerror</c> through
/// <c>[DllImport("libdl")]</c>, and the runtime looks for that as <c>libdl.so</c>. Since glibc 2.34 those
/// functions live in libc itself, and Debian 12 (glibc 2.36) ships only the compatibility library
/// <c>libdl.so.2</c>, without the unversioned <c>libdl.so</c> name, so without this every
/// <c>LoadPkcs11Library</c> fails with a <see cref="DllNotFoundException"/> for "libdl". The resolver
/// maps that one name to <c>libdl.so.2</c>, which still exports all four functions. It is the
/// application's concern (HealthGen's own binding uses <see cref="NativeLibrary"/> and needs no libdl;
/// docs/checks.md).
/// </remarks>
internal static class Pkcs11InteropLibdl
{
    private const string LibdlName = "libdl";
    private const string VersionedLibdl = "libdl.so.2";
    private static readonly object s_gate = new();
    private static bool s_redirected;

    /// <summary>Installs the resolver once per process (a second one for the same assembly would throw).</summary>
    public static void Redirect()
    {
        lock (s_gate)
        {
            if (s_redirected)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, Resolve);
            s_redirected = true;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        => OperatingSystem.IsLinux() && string.Equals(libraryName, LibdlName, StringComparison.Ordinal)
            ? NativeLibrary.Load(VersionedLibdl, assembly, searchPath)
            : IntPtr.Zero; // everything else: the runtime's own probing
}
