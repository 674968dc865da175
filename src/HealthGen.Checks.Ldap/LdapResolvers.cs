using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;

namespace HealthGen.Checks.Ldap;

/// <summary>
/// The LDAP resolvers of the application, checked the way the application uses them: connect (ldap://,
/// ldaps:// or StartTLS), bind with the resolver's own identity, read the root DSE. One instance per
/// application (a singleton from <c>AddLdapResolvers</c>), because it is what keeps probes from multiplying
/// connections: concurrent checks of a resolver share one execution, and the blocking LDAP calls run on
/// threads of their own instead of the thread pool.
/// </summary>
/// <remarks>
/// Marked as an external dependency: a liveness check that calls it would restart every pod whenever the
/// directory is down (HG0001). Use it from <c>[ResolverCheck]</c> or <c>[ReadinessCheck]</c> methods.
/// Results say what failed ("server unreachable", "invalid credentials", "TLS failure", "timeout",
/// "LDAP error &lt;code&gt;") and never contain the URL, the bind DN or the password.
/// </remarks>
[ExternalDependency]
public sealed class LdapResolvers : IDisposable
{
    private readonly Dictionary<string, LdapResolverCheck> _checks;
    private readonly ReadOnlyCollection<string> _names;
    private volatile bool _disposed;

    /// <summary>
    /// Creates the resolvers from validated options. Invalid options throw here as well, for callers that
    /// build the instance by hand rather than through <c>AddLdapResolvers</c> and its start-up validation.
    /// </summary>
    /// <exception cref="OptionsValidationException">The options name an invalid resolver.</exception>
    public LdapResolvers(IOptions<LdapOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        LdapOptions value = options.Value;
        List<string> problems = LdapOptionsValidator.FindProblems(value);
        if (problems.Count != 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(LdapOptions), problems);
        }

        _checks = new Dictionary<string, LdapResolverCheck>(value.Resolvers.Count, StringComparer.Ordinal);
        foreach ((string name, LdapResolverOptions resolver) in value.Resolvers)
        {
            _checks.Add(name, new LdapResolverCheck(LdapTarget.Create(resolver)));
        }

        string[] names = [.. _checks.Keys];
        Array.Sort(names, StringComparer.Ordinal);
        _names = Array.AsReadOnly(names);
    }

    /// <summary>The configured resolver names, in ordinal order, for wiring one check per resolver.</summary>
    public IReadOnlyCollection<string> Names => _names;

    /// <summary>
    /// Checks one resolver: healthy once it bound and read the root DSE, unhealthy with a description of what
    /// failed otherwise. It does not throw for directory failures. Callers arriving while a check of the same
    /// resolver runs share its result. Cancelling <paramref name="cancellationToken"/> stops only this
    /// caller's wait: the LDAP call cannot be interrupted and finishes on its own thread.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a configured resolver.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task<HealthResult> CheckAsync(string name, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Find(name).CheckAsync(cancellationToken);
    }

    /// <summary>
    /// Stops accepting checks. Connections live only for one check each and are closed by it, so there is
    /// nothing else to release; a check still running finishes on its own thread.
    /// </summary>
    public void Dispose() => _disposed = true;

    /// <summary>How many checks of <paramref name="name"/> opened a connection.</summary>
    internal int ExecutionCount(string name) => Find(name).Executions;

    /// <summary>Checks of <paramref name="name"/> past their timeout whose LDAP call has not returned.</summary>
    internal int AbandonedAttempts(string name) => Find(name).AbandonedAttempts;

    private LdapResolverCheck Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_checks.TryGetValue(name, out LdapResolverCheck? check))
        {
            return check;
        }

        string configured = _names.Count == 0 ? "none is configured" : "configured: " + string.Join(", ", _names);
        throw new ArgumentException(
            $"No LDAP resolver named '{name}' ({configured}). Resolvers come from the configuration keys {LdapOptions.SectionName}:Resolvers:<name>:Url.",
            nameof(name));
    }
}
