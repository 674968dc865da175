using HealthGen.Serialization;

namespace HealthGen.Probes;

/// <summary>A probe's answer: pass (HTTP 200) or not (503), and the body.</summary>
/// <param name="Passed">Whether the probe passed.</param>
/// <param name="Body">The JSON body.</param>
/// <param name="IsSteady">
/// The probe's steady answer: a plain query, every check healthy. Its body depends only on the probe's fixed set of
/// checks, so an endpoint serializes it once and reuses the bytes.
/// </param>
internal readonly record struct ProbeAnswer(bool Passed, ProbeResponse Body, bool IsSteady = false);
