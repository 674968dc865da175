using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using HealthGen.Checks.Ldap.Tests.Infrastructure;
using HealthGen.Testing;
using HealthGen.Testing.Servers;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// The sample with every dependency switched on by configuration — a real PostgreSQL, slapd and a SoftHSM2
/// token — answers readyz and resolversz like the seed systems, fails exactly the dependency that goes down,
/// and shows no secret on any unauthenticated endpoint.
/// </summary>
public sealed class SampleWithServersTests
{
    private const string HsmPin = "sample-Pin-2417";
    private const string DetailsToken = "sample-details-Token-88";

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the native-AOT binary
    public async Task The_sample_answers_like_the_seed_systems_and_fails_only_what_is_down(bool native)
    {
        await using PostgresServer postgres = await PostgresServer.StartAsync();
        await using SlapdServer slapd = await SlapdServer.StartAsync();
        string hsmDirectory = Directory.CreateTempSubdirectory("healthgen-sample-hsm-").FullName;
        try
        {
            string softHsmConfiguration = await InitializeSoftHsmTokenAsync(hsmDirectory);
            string connectionString = postgres.ConnectionString();
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__Postgres"] = connectionString,
                ["Ldap__Resolvers__ldapresolver1__Url"] = slapd.Url,
                ["Ldap__Resolvers__ldapresolver1__BindDn"] = SlapdServer.AdminDn,
                ["Ldap__Resolvers__ldapresolver1__Password"] = slapd.AdminPassword,
                ["Hsm__Module"] = "/usr/lib/softhsm/libsofthsm2.so",
                ["Hsm__TokenLabel"] = "sample",
                ["Hsm__Pin"] = HsmPin,
                ["SOFTHSM2_CONF"] = softHsmConfiguration,
                ["Sample__UsersDatabase"] = Path.Combine(hsmDirectory, "users.db"),
                ["Health__Token"] = DetailsToken,
                // No result caching: each request below must see the current state of the servers.
                ["HealthGen__ReadinessCacheMs"] = "0",
                ["HealthGen__ResolverCacheMs"] = "0",
            };
            await using AppProcess sample = await SampleProcess.StartAsync(environment, native);

            // The very first probe of a cold process pays for the first database connection (and JIT) and can
            // exceed the 800 ms check timeout on a loaded machine; readiness may fail once right after start,
            // which Kubernetes tolerates. Wait (bounded) for the first ready answer, then assert the steady state.
            var ready = await sample.GetAsync("/healthz/readyz");
            for (int attempt = 0; attempt < 50 && ready.Status != HttpStatusCode.OK; attempt++)
            {
                await Task.Delay(100);
                ready = await sample.GetAsync("/healthz/readyz");
            }

            Assert.True(ready == (HttpStatusCode.OK, """{"status":"ready","database":"OK","hsm":"OK","queue":"OK"}"""),
                $"{ready}\ndetails: {(await sample.GetAsync("/healthz/details", DetailsToken)).Body}\n{sample.Output}");
            Assert.Equal((HttpStatusCode.OK, """{"status":"ready","ldapresolver":{"ldapresolver1":"OK"},"sqlresolver":{"sqlresolver1":"OK"}}"""), await sample.GetAsync("/healthz/resolversz"));

            slapd.Stop();
            await postgres.StopAsync();

            var resolvers = await sample.GetAsync("/healthz/resolversz");
            var readiness = await sample.GetAsync("/healthz/readyz");
            Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"status":"not ready","ldapresolver":{"ldapresolver1":"fail"},"sqlresolver":{"sqlresolver1":"OK"}}"""), resolvers);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, """{"status":"not ready","database":"fail","hsm":"OK","queue":"OK"}"""), readiness);
            Assert.Equal((HttpStatusCode.OK, """{"status":"OK"}"""), await sample.GetAsync("/healthz/livez"));

            // What failed is told to operators with the token, and to nobody else.
            var details = await sample.GetAsync("/healthz/details", DetailsToken);
            Assert.Contains("server unreachable", details.Body, StringComparison.Ordinal);
            Assert.Contains("connection refused", details.Body, StringComparison.Ordinal);

            string[] secrets = [PostgresServer.SuperuserPassword, connectionString, slapd.AdminPassword, SlapdServer.AdminDn, HsmPin, DetailsToken, "127.0.0.1"];
            foreach (string path in new[] { "/healthz", "/healthz/livez", "/healthz/readyz", "/healthz/startupz", "/healthz/resolversz",
                         "/healthz/readyz?verbose", "/healthz/resolversz?verbose", "/healthz/readyz/database", "/healthz/readyz/hsm",
                         "/healthz/resolversz/ldapresolver/ldapresolver1", "/healthz/details" })
            {
                string body = (await sample.GetAsync(path)).Body;
                foreach (string secret in secrets)
                {
                    Assert.False(body.Contains(secret, StringComparison.Ordinal), $"{path} shows '{secret}': {body}");
                }
            }
        }
        finally
        {
            Directory.Delete(hsmDirectory, recursive: true);
        }
    }

    private static async Task<string> InitializeSoftHsmTokenAsync(string directory)
    {
        string tokens = Path.Combine(directory, "tokens");
        Directory.CreateDirectory(tokens);
        string configuration = Path.Combine(directory, "softhsm2.conf");
        await File.WriteAllTextAsync(configuration, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n");
        var start = new System.Diagnostics.ProcessStartInfo("softhsm2-util")
        {
            ArgumentList = { "--init-token", "--free", "--label", "sample", "--pin", HsmPin, "--so-pin", "sample-so-1" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["SOFTHSM2_CONF"] = configuration;
        using var process = System.Diagnostics.Process.Start(start)
            ?? throw new InvalidOperationException(ServerProcess.Describe("softhsm2-util", "softhsm2"));
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "softhsm2-util --init-token failed: " + output);
        return configuration;
    }
}
