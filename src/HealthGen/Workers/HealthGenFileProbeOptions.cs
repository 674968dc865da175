namespace HealthGen;

/// <summary>Where and how often <c>AddHealthGenFileProbe</c> writes the probe files.</summary>
public sealed class HealthGenFileProbeOptions
{
    /// <summary>Touched after every passing liveness run; <c>probe file --liveness &lt;path&gt; --max-age &lt;s&gt;</c> checks its age.</summary>
    public string? LivenessFile { get; set; }

    /// <summary>Present while readiness passes, removed otherwise and at shutdown; <c>probe file --readiness &lt;path&gt;</c> checks it.</summary>
    public string? ReadinessFile { get; set; }

    /// <summary>How often the probes run, in milliseconds. Default 5000; choose a liveness max-age of a few intervals.</summary>
    public int IntervalMs { get; set; } = 5000;
}
