using Microsoft.Extensions.Options;

namespace HealthGen.Hosting;

/// <summary>Rejects invalid settings at start-up (with <c>ValidateOnStart</c>) instead of at the first probe.</summary>
internal sealed class HealthGenOptionsValidator : IValidateOptions<HealthGenOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthGenOptions options)
    {
        if (options.DefaultTimeoutMs <= 0)
        {
            return ValidateOptionsResult.Fail(
                $"HealthGen:DefaultTimeoutMs must be greater than zero (was {options.DefaultTimeoutMs}).");
        }

        return ValidateOptionsResult.Success;
    }
}
