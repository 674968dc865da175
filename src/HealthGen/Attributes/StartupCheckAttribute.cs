using System;

namespace HealthGen;

/// <summary>
/// Marks a method as a startup check, served on <c>{prefix}/startupz</c>. The application counts as
/// started once the host has started and every startup check has passed once; from then on the result
/// is latched and readiness checks take over.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class StartupCheckAttribute(string? name = null) : HealthCheckAttribute(name);
