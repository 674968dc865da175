namespace HealthGen;

/// <summary>
/// Settings of the HealthGen probes. Bound from the configuration section <c>"HealthGen"</c> (through the
/// configuration-binding source generator, so binding is AOT-safe), then the delegate given to
/// <c>AddHealthGen</c> runs, so code wins over configuration.
/// </summary>
public sealed class HealthGenOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "HealthGen";

    /// <summary>
    /// Timeout of one check execution in milliseconds when the check's attribute sets none.
    /// Default 800: below Kubernetes' default probe timeout of 1 s, so a slow dependency makes the probe
    /// answer 503 rather than making the kubelet give up on the request.
    /// </summary>
    public int DefaultTimeoutMs { get; set; } = 800;

    /// <summary>
    /// The bearer token that unlocks <c>{prefix}/details</c>. <see langword="null"/> or empty = the
    /// details endpoint is off. Keep it out of source: bind it from a secret.
    /// </summary>
    public string? DetailsToken { get; set; }
}
