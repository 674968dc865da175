using System;

namespace HealthGen;

/// <summary>
/// Common settings of the four check attributes. The HealthGen source generator reads these
/// values at compile time; nothing reads them at run time, so they cost nothing per request.
/// </summary>
/// <remarks>
/// A property that is not set takes the default of <see cref="HealthGenOptions"/> for the probe.
/// <see cref="CacheMs"/> = 0 means the result of this check is never reused.
/// </remarks>
public abstract class HealthCheckAttribute : Attribute
{
    private protected HealthCheckAttribute(string? name) => Name = name;

    /// <summary>The check's name in probe responses and paths; snake_case of the method name when omitted.</summary>
    public string? Name { get; }

    /// <summary>
    /// How long one execution may take, in milliseconds, before it counts as failed. Must be greater
    /// than zero when given. Keep it below the probe timeout Kubernetes uses (1 s by default) so the
    /// probe answers "fail" instead of timing out.
    /// </summary>
    public int TimeoutMs { get; set; }

    /// <summary>How long a result may be reused, in milliseconds; 0 = never reuse.</summary>
    public int CacheMs { get; set; }
}

/// <summary>
/// Marks a method as a liveness check, served on <c>{prefix}/livez</c>. A failing liveness probe makes
/// Kubernetes restart the container, so a liveness check must only look at the process itself
/// (deadlocks, exhausted resources), never at a database or another service.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LivenessCheckAttribute(string? name = null) : HealthCheckAttribute(name);

/// <summary>
/// Marks a method as a readiness check, served on <c>{prefix}/readyz</c>. A failing readiness probe
/// takes the pod out of its Service's endpoints without restarting it: the right place for
/// dependencies such as databases, directories and HSMs.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ReadinessCheckAttribute(string? name = null) : HealthCheckAttribute(name);

/// <summary>
/// Marks a method as a startup check, served on <c>{prefix}/startupz</c>. The application counts as
/// started once the host has started and every startup check has passed once; from then on the result
/// is latched and readiness checks take over.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class StartupCheckAttribute(string? name = null) : HealthCheckAttribute(name);

/// <summary>
/// Marks a method as a resolver check (for example one LDAP or SQL user store), served on
/// <c>{prefix}/resolversz</c> grouped by <see cref="Kind"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ResolverCheckAttribute(string name) : HealthCheckAttribute(name)
{
    /// <summary>The group the resolver is reported under, e.g. "ldapresolver" or "sqlresolver". Required.</summary>
    public string? Kind { get; set; }
}

/// <summary>
/// Marks a type or method as an external dependency (a client of a database, directory, HSM, remote
/// service…). The HG0001 analyzer warns when a liveness check reaches such a type or method, because a
/// liveness probe that fails when a dependency is down restarts every pod at once.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ExternalDependencyAttribute : Attribute;
