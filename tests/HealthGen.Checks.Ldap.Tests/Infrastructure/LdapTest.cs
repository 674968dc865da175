using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;

namespace HealthGen.Checks.Ldap.Tests.Infrastructure;

/// <summary>Builds resolvers and checks results the same way in every test.</summary>
internal static class LdapTest
{
    public const string Healthy = "bound and read the root DSE";

    public static LdapResolvers Resolvers(params (string Name, LdapResolverOptions Options)[] resolvers)
    {
        var options = new LdapOptions();
        foreach ((string name, LdapResolverOptions resolver) in resolvers)
        {
            options.Resolvers.Add(name, resolver);
        }

        return new LdapResolvers(Options.Create(options));
    }

    public static LdapResolverOptions Admin(SlapdServer server, string? url = null, int timeoutMs = 10_000) => new()
    {
        Url = url ?? server.Url,
        BindDn = SlapdServer.AdminDn,
        Password = server.AdminPassword,
        TimeoutMs = timeoutMs,
    };

    public static LdapResolverOptions Anonymous(string url, int timeoutMs = 10_000) => new() { Url = url, TimeoutMs = timeoutMs };

    public static int FreePort() => HealthGen.Testing.Servers.ServerProcess.FreeLoopbackPort();

    public static void AssertHealthy(HealthResult result, LdapResolverOptions options)
    {
        Assert.True(result.Status == HealthStatus.Healthy, $"Expected healthy, got {result} ({result.Exception?.GetType().Name}: {result.Exception?.Message})");
        Assert.Equal(Healthy, result.Description);
        AssertNoSecrets(result, options);
    }

    public static void AssertUnhealthy(string description, HealthResult result, LdapResolverOptions options)
    {
        Assert.True(result.Status == HealthStatus.Unhealthy, $"Expected unhealthy '{description}', got {result}");
        Assert.Equal(description, result.Description);
        AssertNoSecrets(result, options);
    }

    /// <summary>
    /// Descriptions reach operators on the details endpoint: never the password, the bind DN or the URL (nor
    /// its host:port). An attached exception may be shown too: never the password.
    /// </summary>
    public static void AssertNoSecrets(HealthResult result, LdapResolverOptions options)
    {
        string description = result.Description ?? string.Empty;
        if (!string.IsNullOrEmpty(options.Password))
        {
            Assert.DoesNotContain(options.Password, description, StringComparison.Ordinal);
            Assert.DoesNotContain(options.Password, result.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
        }

        if (!string.IsNullOrEmpty(options.BindDn))
        {
            Assert.DoesNotContain(options.BindDn, description, StringComparison.OrdinalIgnoreCase);
        }

        if (!string.IsNullOrEmpty(options.Url))
        {
            Assert.DoesNotContain(options.Url, description, StringComparison.OrdinalIgnoreCase);
            var uri = new Uri(options.Url);
            Assert.DoesNotContain(uri.Authority, description, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(uri.Host, description, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Bounded polling for a condition a background thread brings about; fails, never hangs.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(20);
        }
    }
}
