using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HealthGen.Checks.Pkcs11.Tests;

public sealed class Pkcs11OptionsTests
{
    private const string Module = "/opt/hsm/lib/libvendor-pkcs11.so";

    [Fact]
    public void A_module_and_a_label_are_enough()
    {
        Assert.Empty(Problems(new Pkcs11Options { Module = Module, TokenLabel = "signing" }));
        Assert.Empty(Problems(new Pkcs11Options { Module = Module, SlotId = 0 }));
    }

    [Fact]
    public void A_module_that_does_not_exist_yet_is_not_a_start_up_error()
    {
        // The HSM client may be mounted later; the probe reports "module not found" until then.
        Assert.Empty(Problems(new Pkcs11Options { Module = "/does/not/exist/libpkcs11.so", TokenLabel = "signing" }));
    }

    [Fact]
    public void The_module_is_required()
    {
        string problem = Assert.Single(Problems(new Pkcs11Options { TokenLabel = "signing" }));
        Assert.StartsWith("Hsm:Module is required", problem, StringComparison.Ordinal);
        Assert.Contains("Hsm__Module", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_module_must_be_an_absolute_path()
    {
        string problem = Assert.Single(Problems(new Pkcs11Options { Module = "lib/libsofthsm2.so", TokenLabel = "signing" }));
        Assert.StartsWith("Hsm:Module must be an absolute path", problem, StringComparison.Ordinal);
        Assert.Contains("'lib/libsofthsm2.so'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Either_a_label_or_a_slot_is_required()
    {
        string problem = Assert.Single(Problems(new Pkcs11Options { Module = Module, TokenLabel = "  " }));
        Assert.StartsWith("Hsm:TokenLabel or Hsm:SlotId is required", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_and_a_slot_together_are_ambiguous()
    {
        string problem = Assert.Single(Problems(new Pkcs11Options { Module = Module, TokenLabel = "signing", SlotId = 3 }));
        Assert.Equal("Hsm:TokenLabel and Hsm:SlotId are both set: set exactly one of them to choose the token.", problem);
    }

    [Fact]
    public void A_label_longer_than_PKCS11_allows_is_rejected()
    {
        string problem = Assert.Single(Problems(new Pkcs11Options { Module = Module, TokenLabel = new string('ä', 17) }));
        Assert.Equal("Hsm:TokenLabel is 34 bytes in UTF-8, but a PKCS#11 token label holds at most 32.", problem);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        Assert.Equal(2, Problems(new Pkcs11Options()).Count);
    }

    [Fact]
    public void Constructing_a_token_from_invalid_options_throws_with_the_same_messages()
    {
        var error = Assert.Throws<ArgumentException>(() => new Pkcs11Token(new Pkcs11Options { Module = "relative.so", SlotId = 1 }));
        Assert.Contains("Hsm:Module must be an absolute path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_stop_the_application_at_start_up()
    {
        using ServiceProvider services = Services(new() { ["Hsm:TokenLabel"] = "signing" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(error.Failures, failure => failure.StartsWith("Hsm:Module is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_bind_from_the_Hsm_section_and_code_wins()
    {
        using ServiceProvider services = Services(
            new()
            {
                ["Hsm:Module"] = Module,
                ["Hsm:SlotId"] = "18446744073709551615",
                ["Hsm:Pin"] = "from-config",
            },
            options => options.Pin = "from-code");

        Pkcs11Options options = services.GetRequiredService<IOptions<Pkcs11Options>>().Value;

        Assert.Equal((Module, (string?)null, (ulong?)ulong.MaxValue, "from-code"), (options.Module, options.TokenLabel, options.SlotId, options.Pin));
        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void The_token_is_one_singleton_even_when_registered_twice()
    {
        var collection = new ServiceCollection();
        collection.AddPkcs11Token(options => options.Module = Module);
        collection.AddPkcs11Token(options => options.TokenLabel = "signing");
        using ServiceProvider services = collection.BuildServiceProvider();

        Assert.Single(collection, descriptor => descriptor.ServiceType == typeof(Pkcs11Token));
        Assert.Same(services.GetRequiredService<Pkcs11Token>(), services.GetRequiredService<Pkcs11Token>());
    }

    private static List<string> Problems(Pkcs11Options options)
    {
        ValidateOptionsResult result = new Pkcs11OptionsValidator().Validate(null, options);
        return result.Succeeded ? [] : [.. result.Failures!];
    }

    private static ServiceProvider Services(Dictionary<string, string?> configuration, Action<Pkcs11Options>? configure = null)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        collection.AddPkcs11Token(configure);
        return collection.BuildServiceProvider();
    }
}
