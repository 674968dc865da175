using System;
using System.Linq;
using System.DirectoryServices.Protocols;
using System.Threading.Tasks;
using HealthGen.Checks.Ldap.Tests.Infrastructure;

namespace HealthGen.Checks.Ldap.Tests;

/// <summary>Checks against a real slapd: what healthy means, and that each failure is told apart.</summary>
public sealed class LdapResolversTests(PlainDirectory directory) : IClassFixture<PlainDirectory>
{
    private SlapdServer Server => directory.Server;

    [Fact]
    public async Task Binding_with_the_resolver_identity_reads_the_root_DSE()
    {
        LdapResolverOptions options = LdapTest.Admin(Server);
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));

        HealthResult result = await ldap.CheckAsync("ldapresolver1");

        LdapTest.AssertHealthy(result, options);
        Assert.Equal(1, ldap.ExecutionCount("ldapresolver1"));
    }

    [Fact]
    public async Task Without_a_bind_dn_the_check_binds_anonymously()
    {
        LdapResolverOptions options = LdapTest.Anonymous(Server.Url);
        using LdapResolvers ldap = LdapTest.Resolvers(("anonymous", options));

        LdapTest.AssertHealthy(await ldap.CheckAsync("anonymous"), options);
    }

    [Fact]
    public async Task A_wrong_password_is_reported_as_invalid_credentials()
    {
        LdapResolverOptions options = LdapTest.Admin(Server);
        options.Password = "not-the-" + Server.AdminPassword;
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));

        HealthResult result = await ldap.CheckAsync("ldapresolver1");

        LdapTest.AssertUnhealthy("invalid credentials", result, options);
        Assert.Equal(49, Assert.IsType<LdapException>(result.Exception).ErrorCode);
    }

    [Fact]
    public async Task A_bind_dn_the_directory_does_not_know_is_reported_as_invalid_credentials()
    {
        var options = new LdapResolverOptions { Url = Server.Url, BindDn = "cn=nobody," + SlapdServer.Suffix, Password = "whatever-7c1e" };
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));

        LdapTest.AssertUnhealthy("invalid credentials", await ldap.CheckAsync("ldapresolver1"), options);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_reported_as_server_unreachable()
    {
        LdapResolverOptions options = LdapTest.Admin(Server, url: $"ldap://127.0.0.1:{LdapTest.FreePort()}");
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));

        HealthResult result = await ldap.CheckAsync("ldapresolver1");

        LdapTest.AssertUnhealthy("server unreachable", result, options);
        Assert.Equal(81, Assert.IsType<LdapException>(result.Exception).ErrorCode);
    }

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_is_reported_as_timeout()
    {
        using var silent = SilentListener.Start();
        LdapResolverOptions options = LdapTest.Admin(Server, url: silent.Url, timeoutMs: 500);
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));

        HealthResult result = await ldap.CheckAsync("ldapresolver1");

        LdapTest.AssertUnhealthy("timeout", result, options);
        // The abandoned LDAP call goes on on its own thread; it reached the server (not a refused connection).
        Assert.True(await silent.WaitForConnectionAsync(TimeSpan.FromSeconds(60)), "The check never connected to the silent server.");
    }

    [Fact]
    public async Task Each_resolver_reports_its_own_status()
    {
        LdapResolverOptions healthy = LdapTest.Admin(Server);
        LdapResolverOptions failing = LdapTest.Admin(Server);
        failing.Password = "wrong-" + Server.AdminPassword;
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", healthy), ("ldapresolver2", failing));

        HealthResult[] results = await Task.WhenAll(ldap.CheckAsync("ldapresolver1"), ldap.CheckAsync("ldapresolver2"));

        LdapTest.AssertHealthy(results[0], healthy);
        LdapTest.AssertUnhealthy("invalid credentials", results[1], failing);
        Assert.Equal((1, 1), (ldap.ExecutionCount("ldapresolver1"), ldap.ExecutionCount("ldapresolver2")));
    }

    [Fact]
    public async Task Each_check_opens_a_fresh_connection_so_a_result_is_never_stale()
    {
        LdapResolverOptions options = LdapTest.Admin(Server);
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));

        LdapTest.AssertHealthy(await ldap.CheckAsync("ldapresolver1"), options);
        LdapTest.AssertHealthy(await ldap.CheckAsync("ldapresolver1"), options);

        Assert.Equal(2, ldap.ExecutionCount("ldapresolver1"));
    }

    [Fact]
    public async Task No_result_ever_contains_the_password_the_bind_dn_or_the_url()
    {
        using var silent = SilentListener.Start();
        const string BindDn = "cn=Distinctive-Reader-4711,dc=example,dc=org";
        const string Password = "Distinctive-Password-0815";
        LdapResolverOptions Reader(string url, bool startTls = false, int timeoutMs = 10_000) =>
            new() { Url = url, BindDn = BindDn, Password = Password, StartTls = startTls, TimeoutMs = timeoutMs };
        LdapResolverOptions admin = LdapTest.Admin(Server);
        var cases = new (string Name, LdapResolverOptions Options, string Expected)[]
        {
            ("healthy", admin, LdapTest.Healthy),
            ("unknown-dn", Reader(Server.Url), "invalid credentials"),
            ("wrong-password", new LdapResolverOptions { Url = Server.Url, BindDn = SlapdServer.AdminDn, Password = Password }, "invalid credentials"),
            ("unreachable", Reader($"ldap://127.0.0.1:{LdapTest.FreePort()}"), "server unreachable"),
            ("silent", Reader(silent.Url, timeoutMs: 500), "timeout"),
            ("no-tls", Reader(Server.Url, startTls: true), "TLS failure"),
            ("ldaps-on-plain-port", Reader($"ldaps://127.0.0.1:{Server.Port}"), "TLS failure"),
        };
        using LdapResolvers ldap = LdapTest.Resolvers(cases.Select(c => (c.Name, c.Options)).ToArray());

        HealthResult[] results = await Task.WhenAll(cases.Select(c => ldap.CheckAsync(c.Name)));

        for (int i = 0; i < cases.Length; i++)
        {
            Assert.Equal((cases[i].Name, cases[i].Expected), (cases[i].Name, results[i].Description));
            LdapTest.AssertNoSecrets(results[i], cases[i].Options);
            Assert.DoesNotContain(admin.Password!, results[i].Description!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Names_lists_the_configured_resolvers_in_ordinal_order()
    {
        using LdapResolvers ldap = LdapTest.Resolvers(("sso", LdapTest.Anonymous(Server.Url)), ("corp", LdapTest.Anonymous(Server.Url)), ("ad-2", LdapTest.Anonymous(Server.Url)));

        Assert.Equal(["ad-2", "corp", "sso"], ldap.Names);
    }

    [Fact]
    public async Task An_unknown_name_throws_and_names_the_configured_resolvers()
    {
        using LdapResolvers ldap = LdapTest.Resolvers(("corp", LdapTest.Anonymous(Server.Url)), ("sso", LdapTest.Anonymous(Server.Url)));

        ArgumentException exception = await Assert.ThrowsAsync<ArgumentException>(() => ldap.CheckAsync("ldapresolver9"));

        Assert.Equal("name", exception.ParamName);
        Assert.Contains("'ldapresolver9'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("corp, sso", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_name_with_no_resolvers_says_none_is_configured()
    {
        using LdapResolvers ldap = LdapTest.Resolvers();

        ArgumentException exception = await Assert.ThrowsAsync<ArgumentException>(() => ldap.CheckAsync("ldapresolver1"));

        Assert.Contains("none is configured", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disposed_instance_refuses_checks()
    {
        LdapResolvers ldap = LdapTest.Resolvers(("corp", LdapTest.Anonymous(Server.Url)));
        ldap.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => ldap.CheckAsync("corp"));
    }
}
