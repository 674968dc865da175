using System.Threading.Tasks;
using HealthGen.Checks.Ldap.Tests.Infrastructure;

namespace HealthGen.Checks.Ldap.Tests;

/// <summary>A directory that goes away and comes back: the check follows it, with nothing cached or half-open.</summary>
public sealed class LdapServerLifecycleTests
{
    [Fact]
    public async Task A_stopped_server_is_unreachable_and_healthy_again_once_restarted()
    {
        await using SlapdServer server = await SlapdServer.StartAsync();
        LdapResolverOptions options = LdapTest.Admin(server);
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));
        LdapTest.AssertHealthy(await ldap.CheckAsync("ldapresolver1"), options);

        server.Stop();
        LdapTest.AssertUnhealthy("server unreachable", await ldap.CheckAsync("ldapresolver1"), options);

        await server.RestartAsync();
        LdapTest.AssertHealthy(await ldap.CheckAsync("ldapresolver1"), options);
        Assert.Equal(3, ldap.ExecutionCount("ldapresolver1"));
    }
}
