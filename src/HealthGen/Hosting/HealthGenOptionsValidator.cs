using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace HealthGen.Hosting;

/// <summary>Rejects invalid settings at start-up (with <c>ValidateOnStart</c>) instead of at the first probe.</summary>
internal sealed class HealthGenOptionsValidator : IValidateOptions<HealthGenOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthGenOptions options)
    {
        var failures = new List<string>();
        if (options.DefaultTimeoutMs <= 0)
        {
            failures.Add($"HealthGen:DefaultTimeoutMs must be greater than zero (was {options.DefaultTimeoutMs}).");
        }

        foreach ((string key, int value) in new[]
        {
            ("LivenessCacheMs", options.LivenessCacheMs), ("ReadinessCacheMs", options.ReadinessCacheMs),
            ("ResolverCacheMs", options.ResolverCacheMs), ("StartupCacheMs", options.StartupCacheMs),
            ("DrainDelayMs", options.DrainDelayMs), ("SlowCheckThresholdMs", options.SlowCheckThresholdMs),
        })
        {
            if (value < 0)
            {
                failures.Add($"HealthGen:{key} cannot be negative (was {value}).");
            }
        }

        if (!Enum.IsDefined(options.HealthCheckImport))
        {
            failures.Add($"HealthGen:HealthCheckImport must be AspireConvention, TaggedOnly or None (was {options.HealthCheckImport}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
