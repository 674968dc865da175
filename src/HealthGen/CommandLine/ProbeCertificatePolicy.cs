using System;
using System.Net;
using System.Net.Http;

namespace HealthGen;

/// <summary>
/// Whether the exec probe verifies the server's certificate. Like the kubelet's HTTPS probe, which sends its
/// request "skipping the certificate verification", it does not when it calls its own process on loopback
/// (127.0.0.0/8, ::1, localhost): an HTTPS-only pod serves a certificate for its public name, often from an internal
/// CA, never one for 127.0.0.1. That request never leaves the pod's network namespace and carries no secret (the
/// probe sends no credentials), and its answer only says up or down. A URL to any other host is verified as usual
/// (docs/kubernetes.md, "HTTPS-only containers").
/// </summary>
internal static class ProbeCertificatePolicy
{
    public static bool VerifiesCertificateOf(Uri url) => !IsLoopback(url);

    /// <summary>The host as written in the URL, not what a name resolves to: a name is verified even when it points at 127.0.0.1.</summary>
    public static bool IsLoopback(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return IPAddress.TryParse(url.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address);
        }

        return string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Lets the handler accept any certificate of its own process on loopback; leaves every other URL to the default validation.</summary>
    public static void Apply(SocketsHttpHandler handler, Uri url)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!VerifiesCertificateOf(url))
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
    }
}
