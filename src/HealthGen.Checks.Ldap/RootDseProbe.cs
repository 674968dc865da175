using System;
using System.Diagnostics;
using System.DirectoryServices.Protocols;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace HealthGen.Checks.Ldap;

/// <summary>
/// One blocking check against one directory: connect, StartTLS when configured, bind, read the root DSE.
/// Everything here blocks in native code (libldap on Linux, wldap32 on Windows), so it runs only on the
/// dedicated thread <see cref="LdapResolverCheck"/> gives it, never on the thread pool. A fresh connection per
/// check, disposed at the end, so nothing half-open survives a failure.
/// </summary>
internal static class RootDseProbe
{
    // LDAP result codes as System.DirectoryServices.Protocols reports them (RFC 4511, plus the client-side
    // codes of the C API: LDAP_SERVER_DOWN 0x51, LDAP_TIMEOUT 0x55, LDAP_FILTER_ERROR 0x57, LDAP_CONNECT_ERROR 0x5b).
    private const int TimeLimitExceeded = 3;
    private const int InvalidCredentials = 49;
    private const int ServerDown = 81;
    private const int ClientTimeout = 85;
    private const int FilterError = 87;
    private const int ConnectError = 91;

    private enum Stage
    {
        Connect,
        StartTls,
        Bind,
        Search,
    }

    public static HealthResult Run(LdapTarget target)
    {
        long started = Stopwatch.GetTimestamp();
        Stage stage = Stage.Connect;
        try
        {
            using LdapConnection connection = Open(target);
            if (target.StartTls)
            {
                ConnectWithoutSending(connection);
                stage = Stage.StartTls;
                connection.SessionOptions.StartTransportLayerSecurity(null);
            }

            stage = Stage.Bind;
            connection.Bind();

            stage = Stage.Search;
            var request = new SearchRequest(string.Empty, "(objectClass=*)", SearchScope.Base, attributeList: null)
            {
                // The protocol counts in whole seconds and 0 means "no limit": round up.
                TimeLimit = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(target.Timeout.TotalSeconds))),
            };
            var response = (SearchResponse)connection.SendRequest(request, target.Timeout);
            return response.Entries.Count == 0
                ? HealthResult.Unhealthy(LdapCheckDescriptions.RootDseNotReadable)
                : HealthResult.Healthy(LdapCheckDescriptions.Healthy);
        }
        catch (Exception exception)
        {
            return Classify(exception, stage, target, Stopwatch.GetElapsedTime(started));
        }
    }

    private static LdapConnection Open(LdapTarget target)
    {
        var identifier = new LdapDirectoryIdentifier(target.Server, target.Port, fullyQualifiedDnsHostName: false, connectionless: false);
        LdapConnection connection = target.BindDn is null
            ? new LdapConnection(identifier, credential: null, AuthType.Anonymous)
            : new LdapConnection(identifier, new NetworkCredential(target.BindDn, target.Password), AuthType.Basic);
        try
        {
            // Bind explicitly, after StartTLS: an automatic bind would send the password before TLS is up.
            connection.AutoBind = false;
            connection.Timeout = target.Timeout;
            LdapSessionOptions session = connection.SessionOptions;
            session.ProtocolVersion = 3;
            // A referral would send our credentials to whatever server it names.
            session.ReferralChasing = ReferralChasingOptions.None;
            if (target.UseSsl)
            {
                session.SecureSocketLayer = true;
            }

            if (target.UsesTls)
            {
                ConfigureTls(session, target);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void ConfigureTls(LdapSessionOptions session, LdapTarget target)
    {
        if (target.TrustedCertificatesDirectory is { } directory && !OperatingSystem.IsWindows())
        {
            session.TrustedCertificatesDirectory = directory;
            // A TLS context of this connection's own, so the directory applies (libldap's default context is
            // process-wide and created once).
            session.StartNewTlsSessionContext();
        }

        if (!target.ValidateCertificate && OperatingSystem.IsWindows())
        {
            // Only reachable on Windows: elsewhere the validator rejects ValidateCertificate=false, because
            // this setter throws on OpenLDAP ("The LDAP server is unavailable").
            session.VerifyServerCertificate = static (_, _) => true;
        }
    }

    /// <summary>
    /// On Linux, System.DirectoryServices.Protocols gives libldap the server's address only when the first
    /// operation runs, so a StartTLS before it goes nowhere (LDAP result 81). A search with a malformed filter
    /// sets the address and then fails inside libldap before anything is sent; StartTLS then opens the
    /// connection and negotiates TLS before a single credential crosses the network.
    /// </summary>
    private static void ConnectWithoutSending(LdapConnection connection)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // wldap32 connects on StartTLS by itself.
        }

        try
        {
            connection.SendRequest(new SearchRequest(string.Empty, "(", SearchScope.Base, attributeList: null));
        }
        catch (LdapException exception) when (exception.ErrorCode == FilterError)
        {
            // Expected: the filter is rejected on the client.
        }
    }

    private static HealthResult Classify(Exception exception, Stage stage, LdapTarget target, TimeSpan elapsed)
    {
        switch (exception)
        {
            case TlsOperationException:
                return HealthResult.Unhealthy(LdapCheckDescriptions.TlsFailure, exception);

            case LdapException ldap:
                return ClassifyCode(ldap.ErrorCode, stage, target, elapsed, exception);

            case DirectoryOperationException operation when operation.Response is { } response:
                return ClassifyCode((int)response.ResultCode, stage, target, elapsed, exception);

            case DirectoryOperationException operation:
                return HealthResult.Unhealthy(LdapCheckDescriptions.LdapError(StageName(stage), operation.Message), exception);

            case DllNotFoundException:
            case TypeInitializationException { InnerException: DllNotFoundException }:
                return HealthResult.Unhealthy(LdapCheckDescriptions.ClientLibraryMissing, exception);

            default:
                return HealthResult.Unhealthy(LdapCheckDescriptions.Unexpected, exception);
        }
    }

    private static HealthResult ClassifyCode(int code, Stage stage, LdapTarget target, TimeSpan elapsed, Exception exception)
    {
        switch (code)
        {
            case InvalidCredentials:
                return HealthResult.Unhealthy(LdapCheckDescriptions.InvalidCredentials, exception);

            case ClientTimeout:
            case TimeLimitExceeded:
                return HealthResult.Unhealthy(LdapCheckDescriptions.Timeout, exception);

            case ServerDown:
            case ConnectError:
                // libldap reports a failed TLS handshake (untrusted certificate, plain server on an ldaps:// port)
                // with the same codes as a refused connection; a second, plain TCP connect tells them apart.
                if (target.UsesTls && AcceptsTcp(target, target.Timeout - elapsed))
                {
                    return HealthResult.Unhealthy(LdapCheckDescriptions.TlsFailure, exception);
                }

                return HealthResult.Unhealthy(LdapCheckDescriptions.ServerUnreachable, exception);

            default:
                return stage == Stage.StartTls
                    ? HealthResult.Unhealthy(LdapCheckDescriptions.TlsFailure, exception)
                    : HealthResult.Unhealthy(LdapCheckDescriptions.LdapError(code), exception);
        }
    }

    private static bool AcceptsTcp(LdapTarget target, TimeSpan budget)
    {
        if (budget < TimeSpan.FromMilliseconds(100))
        {
            budget = TimeSpan.FromMilliseconds(100);
        }

        try
        {
            using var cancellation = new CancellationTokenSource(budget);
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            // Already on the check's own thread: waiting here blocks no pool thread.
            socket.ConnectAsync(target.Host, target.Port, cancellation.Token).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string StageName(Stage stage) => stage switch
    {
        Stage.Connect => "connect",
        Stage.StartTls => "StartTLS",
        Stage.Bind => "bind",
        _ => "search",
    };
}
