using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HealthGen.Hosting;

/// <summary>
/// Binds the "HealthGen" section when the application has an <see cref="IConfiguration"/>; a bare service
/// collection (tests, workers without configuration) works too. The call is intercepted by the
/// configuration-binding source generator, so it is reflection-free.
/// </summary>
internal sealed class BindHealthGenOptionsFromConfiguration(IServiceProvider services) : IConfigureOptions<HealthGenOptions>
{
    public void Configure(HealthGenOptions options)
    {
        IConfiguration? configuration = services.GetService<IConfiguration>();
        configuration?.GetSection(HealthGenOptions.SectionName).Bind(options);
    }
}
