namespace HealthGen.Hosting;

/// <summary>
/// Marks the endpoints <c>MapHealthGen</c> maps and says which kind each is, so that the access convention
/// (<see cref="ProbeAccess"/>) and the probe front door (<see cref="ProbeFrontDoor"/>) can tell the probes, which
/// answer anyone, from <c>{prefix}/details</c>, which answers its token only.
/// </summary>
internal sealed class HealthGenEndpointMetadata
{
    private HealthGenEndpointMetadata(bool isProbe)
    {
        IsProbe = isProbe;
    }

    /// <summary>{prefix}, livez, readyz, startupz, resolversz and their per-check paths.</summary>
    public static HealthGenEndpointMetadata Probe { get; } = new(isProbe: true);

    /// <summary>{prefix}/details.</summary>
    public static HealthGenEndpointMetadata Details { get; } = new(isProbe: false);

    public bool IsProbe { get; }
}
