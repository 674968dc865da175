using System;
using System.Collections.Generic;

namespace HealthGen.Checks.Ldap;

/// <summary>
/// The LDAP resolvers of an application, keyed by resolver name. Bound from the configuration section
/// <c>"Ldap"</c> (<c>Ldap:Resolvers:&lt;name&gt;:Url</c>, or the environment variable
/// <c>Ldap__Resolvers__&lt;name&gt;__Url</c>), so a deployment adds or repoints a directory without a
/// rebuild; the delegate given to <c>AddLdapResolvers</c> runs afterwards, so code wins over configuration.
/// </summary>
/// <remarks>
/// The names are the ones the checks pass to <see cref="LdapResolvers.CheckAsync"/> and usually the
/// resolver check names too, so they follow the check-name rule <c>^[a-z0-9][a-z0-9_.-]{0,62}$</c>.
/// </remarks>
public sealed class LdapOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Ldap";

    /// <summary>One entry per directory the application resolves users or groups against.</summary>
    public Dictionary<string, LdapResolverOptions> Resolvers { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// How to reach and authenticate to one directory. The check uses the same identity and transport as the
/// application's resolver, so "healthy" means the application's own lookups can work, not merely that a
/// port is open.
/// </summary>
public sealed class LdapResolverOptions
{
    /// <summary>
    /// <c>ldap://host[:port]</c> or <c>ldaps://host[:port]</c> (ports default to 389 and 636). A scheme is
    /// required: without one it would be a guess whether the connection is meant to be encrypted.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// Upgrades an <c>ldap://</c> connection with the StartTLS extended operation before binding, so the
    /// password never crosses the network in clear text. Not combinable with <c>ldaps://</c>, which is
    /// encrypted from the first byte already.
    /// </summary>
    public bool StartTls { get; set; }

    /// <summary>The DN to bind as with a simple bind; <see langword="null"/> binds anonymously.</summary>
    public string? BindDn { get; set; }

    /// <summary>
    /// The password of <see cref="BindDn"/>. Keep it out of source and appsettings: bind it from a secret
    /// (environment variable <c>Ldap__Resolvers__&lt;name&gt;__Password</c>). It never appears in a result.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>
    /// How long one check may take from connect to root DSE, in milliseconds; a directory that is slower
    /// than this is reported as "timeout". Default 3000.
    /// </summary>
    public int TimeoutMs { get; set; } = 3000;

    /// <summary>
    /// Whether the server's TLS certificate must be valid and trusted (default <see langword="true"/>).
    /// Turning it off makes the check pass against an impostor, so it is only for test rigs. On Linux and
    /// macOS, System.DirectoryServices.Protocols cannot turn validation off for one connection, so
    /// <see langword="false"/> is rejected at start-up there: trust the server's CA with
    /// <see cref="TrustedCertificatesDirectory"/> instead.
    /// </summary>
    public bool ValidateCertificate { get; set; } = true;

    /// <summary>
    /// A directory of PEM CA certificates that the server's certificate must chain to, for directories
    /// with a private CA (the common case). <see langword="null"/> uses the platform's trust (on Linux:
    /// libldap's <c>TLS_CACERT</c> in ldap.conf or the <c>LDAPTLS_CACERT</c> environment variable, else
    /// the system bundle). Linux and macOS only (OpenLDAP's <c>LDAP_OPT_X_TLS_CACERTDIR</c>).
    /// </summary>
    public string? TrustedCertificatesDirectory { get; set; }
}
