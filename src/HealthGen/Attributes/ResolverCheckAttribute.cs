using System;

namespace HealthGen;

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
