using System;
using System.Threading.Tasks;
using HealthGen.Checks.Ldap;
using HealthGen.Checks.Pkcs11;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthGen.Reliability;

/// <summary>Configuration mistakes stop the application at start-up with a message naming the setting.</summary>
public sealed class ConfigErrorTests
{
    [Fact]
    public async Task An_unknown_check_name_in_options_stops_startup()
        => Assert.Contains("readyz/databse", (await StartFailsAsync<InvalidOperationException>(s => s.AddHealthGen(o => o.DisabledChecks.Add("readyz/databse")))).Message);

    [Theory]
    [InlineData("libsofthsm2.so")]
    [InlineData("")]
    public async Task An_invalid_PKCS11_module_path_stops_startup(string module)
    {
        var failure = await StartFailsAsync<OptionsValidationException>(s =>
        {
            s.AddHealthGen();
            s.AddPkcs11Token(o => { o.Module = module; o.TokenLabel = "t"; });
        });
        Assert.Contains("Hsm:Module", failure.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:389")]
    [InlineData("http://ldap.example")]
    public async Task An_LDAP_URL_without_an_ldap_scheme_stops_startup(string url)
    {
        var failure = await StartFailsAsync<OptionsValidationException>(s =>
        {
            s.AddHealthGen();
            s.AddLdapResolvers(o => o.Resolvers["ldap1"] = new LdapResolverOptions { Url = url });
        });
        Assert.Contains("Ldap:Resolvers:ldap1:Url", failure.Message);
        Assert.DoesNotContain(url, failure.Message.Replace("Ldap:Resolvers:ldap1:Url", ""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DefaultTimeoutMs")]
    [InlineData("ReadinessCacheMs")]
    [InlineData("DrainDelayMs")]
    public async Task Negative_timeouts_stop_startup(string setting)
    {
        var failure = await StartFailsAsync<OptionsValidationException>(s => s.AddHealthGen(o =>
        {
            switch (setting)
            {
                case "DefaultTimeoutMs": o.DefaultTimeoutMs = -5; break;
                case "ReadinessCacheMs": o.ReadinessCacheMs = -1; break;
                default: o.DrainDelayMs = -100; break;
            }
        }));
        Assert.Contains("HealthGen:" + setting, failure.Message);
    }

    private static async Task<TException> StartFailsAsync<TException>(Action<IServiceCollection> services)
        where TException : Exception
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<HangSwitch>();
        services(builder.Services);
        await using WebApplication app = builder.Build();
        return await Assert.ThrowsAsync<TException>(async () =>
        {
            app.MapHealthGen();
            await app.StartAsync();
        });
    }
}
