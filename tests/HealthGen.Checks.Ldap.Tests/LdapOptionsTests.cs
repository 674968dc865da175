using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HealthGen.Checks.Ldap.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HealthGen.Checks.Ldap.Tests;

/// <summary>
/// Configuration: bound from "Ldap" (and the environment variables of docs/checks.md), validated at start-up with
/// messages that name the key and never repeat a URL or a secret.
/// </summary>
public sealed class LdapOptionsTests
{
    [Theory]
    [InlineData("Url", "dir.corp.test", "Ldap:Resolvers:ldapresolver1:Url must be an absolute URL with the scheme ldap:// or ldaps://")]
    [InlineData("Url", "dir.corp.test:389", "Ldap:Resolvers:ldapresolver1:Url must be an absolute URL with the scheme ldap:// or ldaps://")]
    [InlineData("Url", "127.0.0.1:389", "Ldap:Resolvers:ldapresolver1:Url must be an absolute URL with the scheme ldap:// or ldaps://")]
    [InlineData("Url", "http://dir.corp.test", "Ldap:Resolvers:ldapresolver1:Url must be an absolute URL with the scheme ldap:// or ldaps://")]
    [InlineData("Url", "ldap:///", "Ldap:Resolvers:ldapresolver1:Url has no host")]
    [InlineData("Url", "ldap://dir.corp.test/dc=example,dc=org", "Ldap:Resolvers:ldapresolver1:Url must be ldap[s]://host[:port] only")]
    [InlineData("TimeoutMs", "0", "Ldap:Resolvers:ldapresolver1:TimeoutMs must be greater than zero (was 0)")]
    [InlineData("TimeoutMs", "-5", "Ldap:Resolvers:ldapresolver1:TimeoutMs must be greater than zero (was -5)")]
    public void An_invalid_setting_stops_the_start_naming_its_key(string setting, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Ldap:Resolvers:ldapresolver1:Url"] = "ldap://dir.corp.test", [$"Ldap:Resolvers:ldapresolver1:{setting}"] = value };

        OptionsValidationException exception = StartFails(settings);

        string failure = Assert.Single(exception.Failures);
        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void StartTls_with_an_ldaps_url_is_rejected()
    {
        OptionsValidationException exception = StartFails(new Dictionary<string, string?>
        {
            ["Ldap:Resolvers:ldapresolver1:Url"] = "ldaps://dir.corp.test",
            ["Ldap:Resolvers:ldapresolver1:StartTls"] = "true",
        });

        Assert.StartsWith("Ldap:Resolvers:ldapresolver1:StartTls cannot be combined with an ldaps:// Url", Assert.Single(exception.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_resolver_without_url_is_rejected_with_the_environment_variable_to_set()
    {
        OptionsValidationException exception = StartFails(new Dictionary<string, string?> { ["Ldap:Resolvers:ldapresolver1:TimeoutMs"] = "1000" });

        Assert.Equal("Ldap:Resolvers:ldapresolver1:Url is required (environment variable Ldap__Resolvers__ldapresolver1__Url).", Assert.Single(exception.Failures));
    }

    [Fact]
    public void A_resolver_name_that_is_not_a_check_name_is_rejected()
    {
        OptionsValidationException exception = StartFails(new Dictionary<string, string?> { ["Ldap:Resolvers:Corp_LDAP:Url"] = "ldap://dir.corp.test" });

        Assert.StartsWith("Ldap:Resolvers:Corp_LDAP is not a valid resolver name", Assert.Single(exception.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bind_dn_without_password_is_rejected_and_so_is_a_password_without_bind_dn()
    {
        OptionsValidationException exception = StartFails(new Dictionary<string, string?>
        {
            ["Ldap:Resolvers:a:Url"] = "ldap://dir.corp.test",
            ["Ldap:Resolvers:a:BindDn"] = "cn=reader,dc=example,dc=org",
            ["Ldap:Resolvers:b:Url"] = "ldap://dir.corp.test",
            ["Ldap:Resolvers:b:Password"] = "s3cret-b",
        });

        Assert.Collection(
            exception.Failures.Order(StringComparer.Ordinal),
            failure => Assert.StartsWith("Ldap:Resolvers:a:Password is required when BindDn is set", failure, StringComparison.Ordinal),
            failure => Assert.StartsWith("Ldap:Resolvers:b:Password is set but BindDn is not", failure, StringComparison.Ordinal));
        Assert.DoesNotContain(exception.Failures, failure => failure.Contains("s3cret-b", StringComparison.Ordinal) || failure.Contains("cn=reader", StringComparison.Ordinal));
    }

    [Fact]
    public void Credentials_in_the_url_are_rejected_without_repeating_them()
    {
        OptionsValidationException exception = StartFails(new Dictionary<string, string?> { ["Ldap:Resolvers:ldapresolver1:Url"] = "ldap://reader:hunter2@dir.corp.test" });

        string failure = Assert.Single(exception.Failures);
        Assert.StartsWith("Ldap:Resolvers:ldapresolver1:Url must not carry credentials", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_trusted_certificates_directory_is_rejected()
    {
        string missing = Path.Combine(Path.GetTempPath(), "healthgen-no-such-dir-" + Guid.NewGuid().ToString("N"));
        OptionsValidationException exception = StartFails(new Dictionary<string, string?>
        {
            ["Ldap:Resolvers:ldapresolver1:Url"] = "ldaps://dir.corp.test",
            ["Ldap:Resolvers:ldapresolver1:TrustedCertificatesDirectory"] = missing,
        });

        Assert.StartsWith("Ldap:Resolvers:ldapresolver1:TrustedCertificatesDirectory", Assert.Single(exception.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Turning_certificate_validation_off_is_rejected_where_the_platform_cannot_do_it()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ldap:Resolvers:ldapresolver1:Url"] = "ldaps://dir.corp.test",
            ["Ldap:Resolvers:ldapresolver1:ValidateCertificate"] = "false",
        };

        if (OperatingSystem.IsWindows())
        {
            Assert.Empty(Validate(settings));
            return;
        }

        OptionsValidationException exception = StartFails(settings);
        Assert.StartsWith("Ldap:Resolvers:ldapresolver1:ValidateCertificate=false is not supported on this platform", Assert.Single(exception.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_TLS_turning_certificate_validation_off_is_harmless_and_accepted()
    {
        Assert.Empty(Validate(new Dictionary<string, string?>
        {
            ["Ldap:Resolvers:ldapresolver1:Url"] = "ldap://dir.corp.test",
            ["Ldap:Resolvers:ldapresolver1:ValidateCertificate"] = "false",
        }));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        OptionsValidationException exception = StartFails(new Dictionary<string, string?>
        {
            ["Ldap:Resolvers:a:Url"] = "http://dir.corp.test",
            ["Ldap:Resolvers:b:Url"] = "ldaps://dir.corp.test",
            ["Ldap:Resolvers:b:StartTls"] = "true",
            ["Ldap:Resolvers:b:TimeoutMs"] = "0",
        });

        Assert.Equal(3, exception.Failures.Count());
    }

    [Fact]
    public void Valid_settings_pass_and_no_resolvers_at_all_is_valid_too()
    {
        Assert.Empty(Validate(new Dictionary<string, string?>()));
        Assert.Empty(Validate(new Dictionary<string, string?>
        {
            ["Ldap:Resolvers:ldapresolver1:Url"] = "ldap://dir.corp.test",
            ["Ldap:Resolvers:ldapresolver2:Url"] = "ldaps://[::1]:1636/",
            ["Ldap:Resolvers:ldapresolver2:BindDn"] = "cn=reader,dc=example,dc=org",
            ["Ldap:Resolvers:ldapresolver2:Password"] = "secret",
            ["Ldap:Resolvers:ad.corp-1:Url"] = "LDAP://dc1.corp.example:3268",
            ["Ldap:Resolvers:ad.corp-1:StartTls"] = "true",
        }));
    }

    [Fact]
    public void The_environment_variables_of_the_deployment_docs_bind_every_setting()
    {
        string prefix = "HGLDAPTEST" + Guid.NewGuid().ToString("N")[..8] + "_";
        string trusted = Directory.CreateTempSubdirectory("healthgen-ldap-ca-").FullName;
        var variables = new Dictionary<string, string>
        {
            ["Ldap__Resolvers__ldapresolver1__Url"] = "ldap://dir.corp.test:1389",
            ["Ldap__Resolvers__ldapresolver1__StartTls"] = "true",
            ["Ldap__Resolvers__ldapresolver1__BindDn"] = "cn=reader,dc=example,dc=org",
            ["Ldap__Resolvers__ldapresolver1__Password"] = "from-a-secret",
            ["Ldap__Resolvers__ldapresolver1__TimeoutMs"] = "1500",
            ["Ldap__Resolvers__ldapresolver1__ValidateCertificate"] = "true",
            ["Ldap__Resolvers__ldapresolver1__TrustedCertificatesDirectory"] = trusted,
            ["Ldap__Resolvers__ldapresolver2__Url"] = "ldaps://dir2.corp.test",
        };
        try
        {
            foreach ((string name, string value) in variables)
            {
                Environment.SetEnvironmentVariable(prefix + name, value);
            }

            IConfiguration configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            using ServiceProvider services = Services(configuration);
            LdapOptions options = services.GetRequiredService<IOptions<LdapOptions>>().Value;

            Assert.Equal(["ldapresolver1", "ldapresolver2"], options.Resolvers.Keys.Order(StringComparer.Ordinal));
            LdapResolverOptions first = options.Resolvers["ldapresolver1"];
            Assert.Equal(
                ("ldap://dir.corp.test:1389", true, "cn=reader,dc=example,dc=org", "from-a-secret", 1500, true, trusted),
                (first.Url, first.StartTls, first.BindDn, first.Password, first.TimeoutMs, first.ValidateCertificate, first.TrustedCertificatesDirectory));
            LdapResolverOptions second = options.Resolvers["ldapresolver2"];
            Assert.Equal(("ldaps://dir2.corp.test", false, null, null, 3000, true), (second.Url, second.StartTls, second.BindDn, second.Password, second.TimeoutMs, second.ValidateCertificate));
            Assert.Equal(["ldapresolver1", "ldapresolver2"], services.GetRequiredService<LdapResolvers>().Names);
        }
        finally
        {
            foreach (string name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(prefix + name, null);
            }

            Directory.Delete(trusted);
        }
    }

    [Fact]
    public void Code_runs_after_configuration_and_wins()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ldap:Resolvers:ldapresolver1:Url"] = "ldap://from-config.example.org",
            ["Ldap:Resolvers:ldapresolver1:TimeoutMs"] = "1000",
        }).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton(configuration);
        collection.AddLdapResolvers(o => o.Resolvers["ldapresolver1"].TimeoutMs = 2000);
        collection.AddLdapResolvers(o => o.Resolvers["ldapresolver2"] = new LdapResolverOptions { Url = "ldap://from-code.example.org" });
        using ServiceProvider services = collection.BuildServiceProvider();

        LdapOptions options = services.GetRequiredService<IOptions<LdapOptions>>().Value;

        Assert.Equal(("ldap://from-config.example.org", 2000), (options.Resolvers["ldapresolver1"].Url, options.Resolvers["ldapresolver1"].TimeoutMs));
        Assert.Equal("ldap://from-code.example.org", options.Resolvers["ldapresolver2"].Url);
        Assert.Same(services.GetRequiredService<LdapResolvers>(), services.GetRequiredService<LdapResolvers>());
    }

    [Fact]
    public void Building_resolvers_by_hand_from_invalid_options_throws_the_same_messages()
    {
        var options = new LdapOptions();
        options.Resolvers["ldapresolver1"] = new LdapResolverOptions { Url = "dir.corp.test", TimeoutMs = 0 };

        OptionsValidationException exception = Assert.Throws<OptionsValidationException>(() => new LdapResolvers(Options.Create(options)));

        Assert.Equal(2, exception.Failures.Count());
    }

    /// <summary>Runs the start-up validation the host runs (ValidateOnStart) and expects it to fail.</summary>
    private static OptionsValidationException StartFails(Dictionary<string, string?> settings)
    {
        using ServiceProvider services = Services(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        OptionsValidationException exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        foreach (string failure in exception.Failures)
        {
            foreach (string? value in settings.Values)
            {
                if (value is not null && value.Contains("://", StringComparison.Ordinal))
                {
                    Assert.DoesNotContain(value, failure, StringComparison.Ordinal); // never repeat a URL
                }
            }
        }

        return exception;
    }

    private static IEnumerable<string> Validate(Dictionary<string, string?> settings)
    {
        using ServiceProvider services = Services(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException exception)
        {
            return exception.Failures;
        }
    }

    private static ServiceProvider Services(IConfiguration configuration)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton(configuration);
        collection.AddLdapResolvers();
        return collection.BuildServiceProvider();
    }
}
