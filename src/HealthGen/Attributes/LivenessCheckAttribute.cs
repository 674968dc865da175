using System;

namespace HealthGen;

/// <summary>
/// Marks a method as a liveness check, served on <c>{prefix}/livez</c>. A failing liveness probe makes
/// Kubernetes restart the container, so a liveness check must only look at the process itself
/// (deadlocks, exhausted resources), never at a database or another service.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LivenessCheckAttribute(string? name = null) : HealthCheckAttribute(name);
