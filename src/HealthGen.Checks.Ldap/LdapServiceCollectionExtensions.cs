using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HealthGen.Checks.Ldap;

/// <summary>Registers the LDAP resolver checks.</summary>
public static class LdapServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LdapResolvers"/> as a singleton, so every probe of the application shares one
    /// execution in flight per resolver. Options come from the "Ldap" configuration section
    /// (<c>Ldap:Resolvers:&lt;name&gt;:Url</c>, <c>:BindDn</c>, <c>:Password</c>, <c>:StartTls</c>,
    /// <c>:TimeoutMs</c>, <c>:ValidateCertificate</c>, <c>:TrustedCertificatesDirectory</c>), then
    /// <paramref name="configure"/>, and are validated at start-up: a URL without ldap:// or ldaps://, or
    /// StartTLS on ldaps://, stops the application with a message naming the key instead of failing a probe.
    /// Calling it more than once is harmless; every <paramref name="configure"/> runs.
    /// </summary>
    public static IServiceCollection AddLdapResolvers(this IServiceCollection services, Action<LdapOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        if (!services.IsLdapResolversRegistered())
        {
            services.AddOptions();
            services.AddSingleton<IConfigureOptions<LdapOptions>, BindLdapOptionsFromConfiguration>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LdapOptions>, LdapOptionsValidator>());
            services.AddOptions<LdapOptions>().ValidateOnStart();
            services.AddSingleton(static provider => new LdapResolvers(provider.GetRequiredService<IOptions<LdapOptions>>()));
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services;
    }

    private static bool IsLdapResolversRegistered(this IServiceCollection services)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(LdapResolvers))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Binds the "Ldap" section when the application has an <see cref="IConfiguration"/>; a bare service
/// collection works too. The <c>Bind</c> call is intercepted by the configuration-binding source generator,
/// so it is reflection-free and AOT-safe.
/// </summary>
internal sealed class BindLdapOptionsFromConfiguration(IServiceProvider services) : IConfigureOptions<LdapOptions>
{
    public void Configure(LdapOptions options)
    {
        IConfiguration? configuration = services.GetService<IConfiguration>();
        configuration?.GetSection(LdapOptions.SectionName).Bind(options);
    }
}
