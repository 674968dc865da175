using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Checks.Ldap.Tests.Infrastructure;

namespace HealthGen.Checks.Ldap.Tests;

/// <summary>
/// Probes must not become an LDAP storm or starve the thread pool: concurrent callers share one execution,
/// callers can stop waiting, and a silent server ties up a bounded number of threads. The server is held with
/// a gated proxy instead of sleeps, so nothing here depends on timing.
/// </summary>
public sealed class LdapSingleFlightTests(PlainDirectory directory) : IClassFixture<PlainDirectory>
{
    private SlapdServer Server => directory.Server;

    [Fact]
    public async Task A_hundred_concurrent_checks_share_one_execution_and_all_get_its_result()
    {
        using var proxy = GatedProxy.Start(Server.Port);
        LdapResolverOptions options = LdapTest.Admin(Server, url: proxy.Url, timeoutMs: 120_000);
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));

        // From many threads at once, like concurrent probe requests.
        Task<HealthResult>[] checks = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Factory.StartNew(
            () => ldap.CheckAsync("ldapresolver1"), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default)));
        await proxy.FirstConnection.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(checks, check => check.IsCompleted);

        proxy.Release();
        HealthResult[] results = await Task.WhenAll(checks);

        Assert.All(results, result => LdapTest.AssertHealthy(result, options));
        Assert.Equal(1, ldap.ExecutionCount("ldapresolver1"));
        Assert.Equal(1, proxy.Connections);
    }

    [Fact]
    public async Task A_failing_execution_is_shared_too()
    {
        using var proxy = GatedProxy.Start(Server.Port);
        LdapResolverOptions options = LdapTest.Admin(Server, url: proxy.Url, timeoutMs: 120_000);
        options.Password = "wrong-" + Server.AdminPassword;
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));

        Task<HealthResult>[] checks = Enumerable.Range(0, 20).Select(_ => ldap.CheckAsync("ldapresolver1")).ToArray();
        await proxy.FirstConnection.WaitAsync(TimeSpan.FromSeconds(60));
        proxy.Release();

        Assert.All(await Task.WhenAll(checks), result => LdapTest.AssertUnhealthy("invalid credentials", result, options));
        Assert.Equal(1, ldap.ExecutionCount("ldapresolver1"));
    }

    [Fact]
    public async Task A_caller_that_cancels_stops_waiting_while_the_shared_check_goes_on_for_the_others()
    {
        using var proxy = GatedProxy.Start(Server.Port);
        LdapResolverOptions options = LdapTest.Admin(Server, url: proxy.Url, timeoutMs: 120_000);
        using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));
        using var cancellation = new CancellationTokenSource();

        Task<HealthResult> impatient = ldap.CheckAsync("ldapresolver1", cancellation.Token);
        Task<HealthResult> patient = ldap.CheckAsync("ldapresolver1");
        await proxy.FirstConnection.WaitAsync(TimeSpan.FromSeconds(60));

        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        Assert.False(patient.IsCompleted);

        proxy.Release();
        LdapTest.AssertHealthy(await patient, options);
        Assert.Equal(1, ldap.ExecutionCount("ldapresolver1"));
    }

    [Fact]
    public async Task A_silent_server_ties_up_at_most_two_threads_and_checks_resume_once_they_return()
    {
        var silent = SilentListener.Start();
        try
        {
            LdapResolverOptions options = LdapTest.Admin(Server, url: silent.Url, timeoutMs: 300);
            using LdapResolvers ldap = LdapTest.Resolvers(("ldapresolver1", options));

            LdapTest.AssertUnhealthy("timeout", await ldap.CheckAsync("ldapresolver1"), options);
            LdapTest.AssertUnhealthy("timeout", await ldap.CheckAsync("ldapresolver1"), options);
            Assert.Equal((2, 2), (ldap.ExecutionCount("ldapresolver1"), ldap.AbandonedAttempts("ldapresolver1")));

            // Both threads still wait for the server: answered at once, no third thread.
            LdapTest.AssertUnhealthy("timeout", await ldap.CheckAsync("ldapresolver1"), options);
            Assert.Equal(2, ldap.ExecutionCount("ldapresolver1"));

            // The server goes away: the blocked calls return on their own threads, and checks run again.
            silent.Dispose();
            await LdapTest.EventuallyAsync(() => ldap.AbandonedAttempts("ldapresolver1") == 0, "the abandoned LDAP calls returned");
            LdapTest.AssertUnhealthy("server unreachable", await ldap.CheckAsync("ldapresolver1"), options);
            Assert.Equal(3, ldap.ExecutionCount("ldapresolver1"));
        }
        finally
        {
            silent.Dispose();
        }
    }
}
