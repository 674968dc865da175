namespace HealthGen.Hosting;

/// <summary>
/// On a probe endpoint that answers whatever the Host header says and without credentials: added by
/// <see cref="ProbeAccess"/> once every convention of the group has run, read by <see cref="ProbeFrontDoor"/>.
/// A probe the team guarded (<c>RequireAuthorization</c>, <see cref="HealthGenOptions.OpenProbes"/> = false) does
/// not carry it and stays an ordinary endpoint of the application.
/// </summary>
internal sealed class OpenProbeMetadata
{
    private OpenProbeMetadata()
    {
    }

    public static OpenProbeMetadata Instance { get; } = new();
}
