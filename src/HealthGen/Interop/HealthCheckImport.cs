namespace HealthGen;

/// <summary>
/// Which <c>IHealthCheck</c> registrations (Microsoft.Extensions.Diagnostics.HealthChecks) join HealthGen's probes:
/// <see cref="HealthGenOptions.HealthCheckImport"/>. Registrations added by <c>AddHealthGenChecks()</c> are
/// HealthGen's own and never join again.
/// </summary>
public enum HealthCheckImport
{
    /// <summary>
    /// As .NET Aspire's ServiceDefaults count them: tagged <c>live</c> → liveness (Aspire's <c>/alive</c>); every other
    /// registration — untagged, as Aspire's client integrations register theirs, tagged <c>ready</c> or anything else —
    /// → readiness (Aspire's <c>/health</c>). A registration tagged both <c>live</c> and <c>ready</c> joins both.
    /// </summary>
    AspireConvention = 0,

    /// <summary>Only registrations tagged <c>live</c> (→ liveness) or <c>ready</c> (→ readiness): the rule of HealthGen 0.1.0.</summary>
    TaggedOnly = 1,

    /// <summary>None: HealthGen's probes run HealthGen's checks only.</summary>
    None = 2,
}
