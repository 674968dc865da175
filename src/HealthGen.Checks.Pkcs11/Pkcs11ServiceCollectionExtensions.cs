using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HealthGen.Checks.Pkcs11;

/// <summary>Registers the HSM readiness check.</summary>
public static class Pkcs11ServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="Pkcs11Token"/> as a singleton, so every probe of the application shares one
    /// module initialization and one probe in flight. Options come from the "Hsm" configuration section,
    /// then <paramref name="configure"/>, and are validated at start-up: a missing module path or token
    /// choice stops the application with a message naming the key, not a failing probe hours later.
    /// Calling it more than once is harmless; every <paramref name="configure"/> runs.
    /// </summary>
    public static IServiceCollection AddPkcs11Token(this IServiceCollection services, Action<Pkcs11Options>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        if (!services.IsPkcs11TokenRegistered())
        {
            services.AddOptions();
            services.AddSingleton<IConfigureOptions<Pkcs11Options>, BindPkcs11OptionsFromConfiguration>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Pkcs11Options>, Pkcs11OptionsValidator>());
            services.AddOptions<Pkcs11Options>().ValidateOnStart();
            services.AddSingleton(static provider => new Pkcs11Token(provider.GetRequiredService<IOptions<Pkcs11Options>>().Value));
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services;
    }

    private static bool IsPkcs11TokenRegistered(this IServiceCollection services)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(Pkcs11Token))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Binds the "Hsm" section when the application has an <see cref="IConfiguration"/>; a bare service
/// collection works too. The <c>Bind</c> call is intercepted by the configuration-binding source
/// generator, so it is reflection-free.
/// </summary>
internal sealed class BindPkcs11OptionsFromConfiguration(IServiceProvider services) : IConfigureOptions<Pkcs11Options>
{
    public void Configure(Pkcs11Options options)
    {
        IConfiguration? configuration = services.GetService<IConfiguration>();
        configuration?.GetSection(Pkcs11Options.SectionName).Bind(options);
    }
}
