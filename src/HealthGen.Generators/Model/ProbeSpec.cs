namespace HealthGen.Generators.Model;

/// <summary>Mirrors <c>HealthGen.ProbeKind</c>; the emitted code uses the runtime enum's member names.</summary>
internal enum ProbeSpec
{
    Liveness = 0,
    Readiness = 1,
    Startup = 2,
    Resolver = 3,
}
