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

    /// <summary>
    /// Greater than zero makes a background check: it runs from host start and then <c>PeriodMs</c> after its previous
    /// run ended (never overlapping), under its own timeout and DI scope, and probes read its last result instead of
    /// running it. Until its first result it is <c>"unchecked"</c> (failing readiness, startup and resolvers, passing
    /// liveness); a result older than 3 × <c>PeriodMs</c> + its timeout counts as failed. <see cref="CacheMs"/> does not
    /// apply to a background check (HG0012).
    /// </summary>
    public int PeriodMs { get; set; }

    /// <summary>
    /// How many consecutive failed executions it takes before the check is reported failing (default 1); until then
    /// it reports its last passing status. <c>?verbose</c> and details show the raw last result and the streak.
    /// </summary>
    public int FailureThreshold { get; set; } = 1;

    /// <summary>
    /// Names of checks of the same probe (for resolvers: of the same kind) that must pass before this one runs. While
    /// one does not, this check is not run and is reported <c>"unchecked"</c>. Unknown names are HG0010, cycles HG0011.
    /// </summary>
    public string[]? DependsOn { get; set; }
}
