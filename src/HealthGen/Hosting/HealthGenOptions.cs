using System.Collections.Generic;

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

    /// <summary>
    /// Checks that are compiled in but must not run, by path: <c>livez/process</c>, <c>readyz/database</c>,
    /// <c>startupz/migrations</c>, <c>resolversz/ldapresolver/ldapresolver1</c>. A disabled check is not run,
    /// not listed and has no path. For checks of dependencies an installation does not have (no HSM
    /// configured here) and for switching a misbehaving check off by configuration
    /// (<c>HealthGen__DisabledChecks__0=readyz/cache</c>). A path that names no check stops
    /// <c>MapHealthGen</c> with an error, so a typo cannot silently leave a check on.
    /// </summary>
    public IList<string> DisabledChecks { get; } = new List<string>();
}
