using HealthGen.Probes;

namespace HealthGen.Hosting;

/// <summary>
/// The bytes of a probe endpoint's steady answer (<see cref="ProbeAnswer.IsSteady"/>: passed, every check healthy, no
/// query options). It depends only on the endpoint's fixed set of checks, so it is serialized once (through the
/// generated JSON metadata, like every other body) and its bytes are reused.
/// </summary>
internal sealed class SteadyBody
{
    public byte[]? Bytes { get; set; }
}
