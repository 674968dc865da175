using System;

namespace HealthGen;

/// <summary>
/// Marks a type or method as an external dependency (a client of a database, directory, HSM, remote
/// service…). The HG0001 analyzer warns when a liveness check reaches such a type or method, because a
/// liveness probe that fails when a dependency is down restarts every pod at once.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ExternalDependencyAttribute : Attribute;
