using System;

namespace HealthGen;

/// <summary>
/// Common settings of the four check attributes. The HealthGen source generator reads these
/// values at compile time; nothing reads them at run time, so they cost nothing per request.
/// </summary>
/// <remarks>
/// A property that is not set takes the default of <see cref="HealthGenOptions"/> for the probe.
/// <see cref="CacheMs"/> = 0 means the result of this check is never reused.
/// </remarks>
public abstract class HealthCheckAttribute : Attribute
{
    private protected HealthCheckAttribute(string? name) => Name = name;

    /// <summary>The check's name in probe responses and paths; snake_case of the method name when omitted.</summary>
    public string? Name { get; }

    /// <summary>
    /// How long one execution may take, in milliseconds, before it counts as failed. Must be greater
    /// than zero when given. Keep it below the probe timeout Kubernetes uses (1 s by default) so the
    /// probe answers "fail" instead of timing out.
    /// </summary>
    public int TimeoutMs { get; set; }

    /// <summary>How long a result may be reused, in milliseconds; 0 = never reuse.</summary>
    public int CacheMs { get; set; }
}
