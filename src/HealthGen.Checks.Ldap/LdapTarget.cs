using System;

namespace HealthGen.Checks.Ldap;

/// <summary>
/// One resolver's settings, parsed and checked once at start-up, so a check does no parsing and cannot
/// fail on configuration.
/// </summary>
internal sealed class LdapTarget
{
    public const int DefaultLdapPort = 389;
    public const int DefaultLdapsPort = 636;

    private LdapTarget(string host, int port, bool useSsl, LdapResolverOptions options)
    {
        Host = host;
        Port = port;
        UseSsl = useSsl;
        StartTls = options.StartTls;
        BindDn = string.IsNullOrWhiteSpace(options.BindDn) ? null : options.BindDn;
        Password = options.Password;
        Timeout = TimeSpan.FromMilliseconds(options.TimeoutMs);
        ValidateCertificate = options.ValidateCertificate;
        TrustedCertificatesDirectory = string.IsNullOrWhiteSpace(options.TrustedCertificatesDirectory) ? null : options.TrustedCertificatesDirectory;
    }

    /// <summary>The host for DNS and sockets: a name in IDN (punycode) form, or an IP address without brackets.</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary>ldaps://: TLS from the first byte.</summary>
    public bool UseSsl { get; }

    public bool StartTls { get; }

    public bool UsesTls => UseSsl || StartTls;

    /// <summary><see langword="null"/> = anonymous bind.</summary>
    public string? BindDn { get; }

    public string? Password { get; }

    public TimeSpan Timeout { get; }

    public bool ValidateCertificate { get; }

    public string? TrustedCertificatesDirectory { get; }

    /// <summary>
    /// The server as System.DirectoryServices.Protocols wants it: always <c>host:port</c>. On Linux it appends
    /// the port only when the server string has no colon, so an IPv6 literal must come bracketed with its port.
    /// </summary>
    public string Server => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses a validated resolver; throws on settings <see cref="LdapOptionsValidator"/> rejects.</summary>
    public static LdapTarget Create(LdapResolverOptions options)
    {
        if (!TryParseUrl(options.Url, out Uri? uri, out _))
        {
            throw new ArgumentException("The resolver's Url is not a valid ldap:// or ldaps:// URL.", nameof(options));
        }

        bool useSsl = string.Equals(uri.Scheme, "ldaps", StringComparison.Ordinal);
        int port = uri.Port > 0 ? uri.Port : useSsl ? DefaultLdapsPort : DefaultLdapPort;
        string host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.IdnHost;
        return new LdapTarget(host, port, useSsl, options);
    }

    /// <summary>
    /// Accepts <c>ldap://host[:port][/]</c> and <c>ldaps://host[:port][/]</c> only. The problem text never
    /// repeats the URL: it may carry credentials someone put there by mistake.
    /// </summary>
    public static bool TryParseUrl(string? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri, out string? problem)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            problem = "is required";
            return false;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed)
            || parsed.Scheme is not ("ldap" or "ldaps")
            || !url.Contains("://", StringComparison.Ordinal))
        {
            problem = "must be an absolute URL with the scheme ldap:// or ldaps:// (for example ldaps://ldap.example.org:636)";
            return false;
        }

        if (string.IsNullOrEmpty(parsed.Host))
        {
            problem = "has no host";
            return false;
        }

        if (parsed.UserInfo.Length != 0)
        {
            problem = "must not carry credentials: set BindDn and Password instead";
            return false;
        }

        if (parsed.AbsolutePath is not ("" or "/") || parsed.Query.Length != 0 || parsed.Fragment.Length != 0)
        {
            problem = "must be ldap[s]://host[:port] only: the check does not use a base DN, attributes, filter or extensions from the URL";
            return false;
        }

        uri = parsed;
        problem = null;
        return true;
    }
}
