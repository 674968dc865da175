using System;

namespace HealthGen;

/// <summary>
/// Marks a method as a readiness check, served on <c>{prefix}/readyz</c>. A failing readiness probe
/// takes the pod out of its Service's endpoints without restarting it: the right place for
/// dependencies such as databases, directories and HSMs.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ReadinessCheckAttribute(string? name = null) : HealthCheckAttribute(name);
