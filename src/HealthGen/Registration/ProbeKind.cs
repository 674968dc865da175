namespace HealthGen;

/// <summary>Which probe a check belongs to; one per check attribute.</summary>
public enum ProbeKind
{
    /// <summary><see cref="LivenessCheckAttribute"/>: served on <c>{prefix}/livez</c>.</summary>
    Liveness = 0,

    /// <summary><see cref="ReadinessCheckAttribute"/>: served on <c>{prefix}/readyz</c>.</summary>
    Readiness = 1,

    /// <summary><see cref="StartupCheckAttribute"/>: served on <c>{prefix}/startupz</c>.</summary>
    Startup = 2,

    /// <summary><see cref="ResolverCheckAttribute"/>: served on <c>{prefix}/resolversz</c>.</summary>
    Resolver = 3,
}
