namespace HealthGen;

/// <summary>The outcome of one check. Ordered from worst to best so that the worst of several is the minimum.</summary>
public enum HealthStatus
{
    /// <summary>The check failed: the probe answers 503.</summary>
    Unhealthy = 0,

    /// <summary>The check works but is impaired: reported as "degraded", the probe still answers 200.</summary>
    Degraded = 1,

    /// <summary>The check passed.</summary>
    Healthy = 2,
}
