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
    /// How long a liveness result is reused, in milliseconds, when the check's attribute sets no CacheMs.
    /// Default 0: liveness checks are cheap and must reflect the process now.
    /// </summary>
    public int LivenessCacheMs { get; set; }

    /// <summary>
    /// How long a readiness result is reused, in milliseconds, when the check's attribute sets no CacheMs.
    /// Default 1000: however many probes arrive, a dependency is asked at most once per second.
    /// </summary>
    public int ReadinessCacheMs { get; set; } = 1000;

    /// <summary>How long a resolver result is reused, in milliseconds, when the attribute sets no CacheMs. Default 10000.</summary>
    public int ResolverCacheMs { get; set; } = 10_000;

    /// <summary>
    /// How long a startup check's result is reused while the application has not started yet. Default 0.
    /// Once every startup check has passed, the startup probe is latched and runs nothing.
    /// </summary>
    public int StartupCacheMs { get; set; }

    /// <summary>
    /// How long the application keeps serving after it was asked to stop, in milliseconds, while readiness
    /// already answers 503 "shutting down". Default 0. Set it a little above the readiness probe's
    /// period × failureThreshold so load balancers stop sending traffic before the server closes.
    /// </summary>
    public int DrainDelayMs { get; set; }

    /// <summary>A check that takes longer than this, in milliseconds, logs a warning. Default 500; 0 = never.</summary>
    public int SlowCheckThresholdMs { get; set; } = 500;

    /// <summary>
    /// Whether probe requests go to the HTTP request log (<c>UseHttpLogging</c>). Default <see langword="false"/>:
    /// a kubelet probing every few seconds per pod would drown the log.
    /// </summary>
    public bool LogRequests { get; set; }

    /// <summary>
    /// Whether probe requests are recorded in ASP.NET Core's own HTTP metrics (<c>http.server.request.duration</c>
    /// of the <c>Microsoft.AspNetCore.Hosting</c> meter). Default <see langword="false"/>: the kubelet's requests
    /// would become the service's request rate and latency, and readyz's 503s during a dependency outage its 5xx
    /// rate. HealthGen's own meter records every check either way. See docs/kubernetes.md.
    /// </summary>
    public bool RecordHttpMetrics { get; set; }

    /// <summary>
    /// Whether the probe endpoints (<c>{prefix}</c>, livez, readyz, startupz, resolversz and their per-check paths)
    /// answer whatever the <c>Host</c> header says and without credentials, as the kubelet asks them: past the
    /// application's <c>AllowedHosts</c> and its authorization fallback policy. Default <see langword="true"/>.
    /// Probe bodies never depend on the Host or the caller and never disclose details, so this opens nothing.
    /// <see langword="false"/> makes the probes ordinary endpoints of the application: its host filtering,
    /// fallback policy and middleware apply to them. <c>RequireAuthorization()</c> on the group returned by
    /// <c>MapHealthGen</c> does the same for authorization, <c>RequireHost(…)</c> narrows the hosts.
    /// See docs/kubernetes.md, "Hardened applications and probes".
    /// </summary>
    public bool OpenProbes { get; set; } = true;

    /// <summary>
    /// The bearer token that unlocks <c>{prefix}/details</c>. <see langword="null"/> or empty = the
    /// details endpoint is off. Keep it out of source: bind it from a secret. It works even where the application's
    /// own authentication handles <c>Authorization: Bearer</c>: details are exempt from the application's
    /// authorization (unless <c>RequireAuthorization()</c> is put on the group) and check this token themselves.
    /// </summary>
    public string? DetailsToken { get; set; }

    /// <summary>
    /// Which <c>IHealthCheck</c> registrations join the probes. Default <see cref="HealthCheckImport.AspireConvention"/>:
    /// tagged <c>live</c> → liveness, every other → readiness, as .NET Aspire counts them (an Aspire client
    /// integration's untagged database check makes readyz fail while the database is down).
    /// <see cref="HealthCheckImport.TaggedOnly"/> keeps the earlier rule (<c>live</c> and <c>ready</c> tags only).
    /// </summary>
    public HealthCheckImport HealthCheckImport { get; set; } = HealthCheckImport.AspireConvention;

    /// <summary>
    /// <c>IHealthCheck</c> registrations that must not join the probes, by registration name (<c>"PostgreSql"</c>), for
    /// a check that belongs on a dashboard but not on a probe. A name that matches no registration stops
    /// <c>MapHealthGen</c> with the list of registrations, so a typo cannot silently leave a check in.
    /// </summary>
    public IList<string> IgnoredHealthChecks { get; } = new List<string>();

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
