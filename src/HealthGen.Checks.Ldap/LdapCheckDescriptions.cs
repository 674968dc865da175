using System.Globalization;

namespace HealthGen.Checks.Ldap;

/// <summary>
/// The fixed texts of LDAP check results. They go to operators on the details endpoint and to logs, so
/// they say what failed in words that point at the fix, and are built from nothing but constants and
/// result codes: never the URL, the bind DN or the password.
/// </summary>
internal static class LdapCheckDescriptions
{
    public const string Healthy = "bound and read the root DSE";

    /// <summary>No TCP connection, DNS failure, or the server closed the connection (LDAP result 81 / 91).</summary>
    public const string ServerUnreachable = "server unreachable";

    /// <summary>The simple bind was refused (LDAP result 49): wrong password, unknown or locked bind DN.</summary>
    public const string InvalidCredentials = "invalid credentials";

    /// <summary>StartTLS refused, handshake failed, or the certificate is not trusted.</summary>
    public const string TlsFailure = "TLS failure";

    /// <summary>The server accepted the connection but did not answer within TimeoutMs (or LDAP result 85 / 3).</summary>
    public const string Timeout = "timeout";

    /// <summary>The search succeeded but returned no entry: the bound identity may not read the root DSE.</summary>
    public const string RootDseNotReadable = "root DSE not readable";

    /// <summary>libldap (OpenLDAP client) is not installed in the image.</summary>
    public const string ClientLibraryMissing = "LDAP client library not found (install libldap)";

    public const string Unexpected = "LDAP check failed unexpectedly";

    public static string LdapError(int resultCode) => string.Create(CultureInfo.InvariantCulture, $"LDAP error {resultCode}");

    /// <summary>
    /// For failures System.DirectoryServices.Protocols reports without a result code (a refused bind on Linux):
    /// its message is a fixed text from its own resources, chosen by the result code, so it is safe to show.
    /// </summary>
    public static string LdapError(string stage, string libraryMessage) => $"LDAP error during {stage}: {libraryMessage}";
}
