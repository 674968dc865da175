namespace HealthGen.Execution;

/// <summary>Why a check did not pass; shown on the details endpoint, never on the probe endpoints.</summary>
/// <remarks>A byte, so a <see cref="CheckResult"/> packs into 48 bytes: it is copied into every task and report of a cache miss.</remarks>
internal enum CheckFailure : byte
{
    /// <summary>The check passed or reported degraded.</summary>
    None = 0,

    /// <summary>The check returned an unhealthy result or <see langword="false"/>.</summary>
    Reported,

    /// <summary>The check threw.</summary>
    Threw,

    /// <summary>The check did not finish within its timeout.</summary>
    TimedOut,

    /// <summary>The request was aborted or the host has stopped.</summary>
    Cancelled,

    /// <summary>
    /// The check was not run: a background check without a result yet, a dependent whose dependency is not passing, a
    /// readiness check before the application has started. Reported as <c>"unchecked"</c>.
    /// </summary>
    NotRun,

    /// <summary>A background check's last result is older than its schedule allows: the schedule has stalled.</summary>
    Stale,
}
