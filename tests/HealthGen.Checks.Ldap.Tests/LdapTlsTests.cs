using System.Threading.Tasks;
using HealthGen.Checks.Ldap.Tests.Infrastructure;

namespace HealthGen.Checks.Ldap.Tests;

/// <summary>
/// StartTLS and ldaps:// against a slapd that requires TLS for every operation, bind included: a healthy
/// StartTLS check proves the password went over TLS, because the server refuses a clear-text bind.
/// </summary>
public sealed class LdapTlsTests(TlsRequiredDirectory tlsDirectory, PlainDirectory plainDirectory)
    : IClassFixture<TlsRequiredDirectory>, IClassFixture<PlainDirectory>
{
    private SlapdServer Tls => tlsDirectory.Server;

    [Fact]
    public async Task StartTls_with_a_trusted_certificate_binds_over_TLS_and_reads_the_root_DSE()
    {
        LdapResolverOptions options = LdapTest.Admin(Tls);
        options.StartTls = true;
        options.TrustedCertificatesDirectory = Tls.TrustedCertificatesDirectory;

        LdapTest.AssertHealthy(await CheckAsync(options), options);
    }

    [Fact]
    public async Task Ldaps_with_a_trusted_certificate_binds_and_reads_the_root_DSE()
    {
        LdapResolverOptions options = LdapTest.Admin(Tls, url: Tls.LdapsUrl);
        options.TrustedCertificatesDirectory = Tls.TrustedCertificatesDirectory;

        LdapTest.AssertHealthy(await CheckAsync(options), options);
    }

    [Fact]
    public async Task A_wrong_password_over_ldaps_is_still_invalid_credentials()
    {
        LdapResolverOptions options = LdapTest.Admin(Tls, url: Tls.LdapsUrl);
        options.TrustedCertificatesDirectory = Tls.TrustedCertificatesDirectory;
        options.Password = "bad-" + Tls.AdminPassword;

        LdapTest.AssertUnhealthy("invalid credentials", await CheckAsync(options), options);
    }

    [Fact]
    public async Task StartTls_with_an_untrusted_certificate_is_a_TLS_failure()
    {
        LdapResolverOptions options = LdapTest.Admin(Tls);
        options.StartTls = true;

        LdapTest.AssertUnhealthy("TLS failure", await CheckAsync(options), options);
    }

    [Fact]
    public async Task Ldaps_with_an_untrusted_certificate_is_a_TLS_failure()
    {
        LdapResolverOptions options = LdapTest.Admin(Tls, url: Tls.LdapsUrl);

        LdapTest.AssertUnhealthy("TLS failure", await CheckAsync(options), options);
    }

    [Fact]
    public async Task StartTls_against_a_server_without_TLS_is_a_TLS_failure()
    {
        LdapResolverOptions options = LdapTest.Admin(plainDirectory.Server);
        options.StartTls = true;

        LdapTest.AssertUnhealthy("TLS failure", await CheckAsync(options), options);
    }

    [Fact]
    public async Task Ldaps_to_a_plain_LDAP_port_is_a_TLS_failure()
    {
        LdapResolverOptions options = LdapTest.Admin(plainDirectory.Server, url: $"ldaps://127.0.0.1:{plainDirectory.Server.Port}");

        LdapTest.AssertUnhealthy("TLS failure", await CheckAsync(options), options);
    }

    [Fact]
    public async Task Ldaps_to_a_port_nobody_listens_on_is_server_unreachable()
    {
        LdapResolverOptions options = LdapTest.Admin(Tls, url: $"ldaps://127.0.0.1:{LdapTest.FreePort()}");
        options.TrustedCertificatesDirectory = Tls.TrustedCertificatesDirectory;

        LdapTest.AssertUnhealthy("server unreachable", await CheckAsync(options), options);
    }

    [Fact]
    public async Task A_clear_text_bind_to_a_server_that_requires_TLS_is_an_LDAP_error()
    {
        LdapResolverOptions options = LdapTest.Admin(Tls);

        HealthResult result = await CheckAsync(options);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("LDAP error", result.Description, System.StringComparison.Ordinal);
        Assert.Contains("Confidentiality", result.Description, System.StringComparison.Ordinal);
        LdapTest.AssertNoSecrets(result, options);
    }

    private static async Task<HealthResult> CheckAsync(LdapResolverOptions options)
    {
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));
        return await ldap.CheckAsync("ldapresolver1");
    }
}
