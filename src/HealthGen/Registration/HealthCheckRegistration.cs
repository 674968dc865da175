using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen;

/// <summary>
/// One check as the source generator describes it: its name, probe, settings and a delegate that calls
/// the attributed method directly. The generated catalog of each assembly is a list of these; no
/// reflection is involved in finding or invoking a check.
/// </summary>
/// <remarks>
/// Generated code creates these; applications normally never do. The delegate receives a service
/// provider scoped to the one execution and a token cancelled on timeout, request abort or shutdown.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class HealthCheckRegistration
{
    /// <summary>Use the <see cref="HealthGenOptions"/> default for the probe.</summary>
    public const int UseDefault = -1;

    private int _periodMs;
    private int _failureThreshold = 1;
    private IReadOnlyList<string> _dependsOn = [];

    /// <summary>Describes one check.</summary>
    /// <param name="name">The check's name; validated at compile time by the generator.</param>
    /// <param name="probe">The probe the check belongs to.</param>
    /// <param name="kind">The resolver group (resolver checks only), otherwise <see langword="null"/>.</param>
    /// <param name="timeoutMs">The per-execution timeout in ms, or <see cref="UseDefault"/>.</param>
    /// <param name="cacheMs">How long a result may be reused in ms, or <see cref="UseDefault"/>.</param>
    /// <param name="invoke">Calls the check method.</param>
    public HealthCheckRegistration(
        string name,
        ProbeKind probe,
        string? kind,
        int timeoutMs,
        int cacheMs,
        Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> invoke)
        : this(name, probe, kind, timeoutMs, cacheMs, invoke, CheckInvocation.Isolated)
    {
    }

    /// <summary>Describes one check and how it is called.</summary>
    /// <param name="name">The check's name; validated at compile time by the generator.</param>
    /// <param name="probe">The probe the check belongs to.</param>
    /// <param name="kind">The resolver group (resolver checks only), otherwise <see langword="null"/>.</param>
    /// <param name="timeoutMs">The per-execution timeout in ms, or <see cref="UseDefault"/>.</param>
    /// <param name="cacheMs">How long a result may be reused in ms, or <see cref="UseDefault"/>.</param>
    /// <param name="invoke">Calls the check method.</param>
    /// <param name="invocation">
    /// How the check is called; <see cref="CheckInvocation.Inline"/> requires <paramref name="invoke"/> to complete
    /// synchronously without using its arguments, <see cref="CheckInvocation.IsolatedWithoutScope"/> requires it not to
    /// use its service provider.
    /// </param>
    public HealthCheckRegistration(
        string name,
        ProbeKind probe,
        string? kind,
        int timeoutMs,
        int cacheMs,
        Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> invoke,
        CheckInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(invoke);
        if (!CheckNames.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid check name: use 1 to 63 characters of a-z, 0-9, '_', '.', '-', starting with a letter or digit.", nameof(name));
        }

        if (CheckNames.IsReserved(name))
        {
            throw new ArgumentException($"'{name}' is reserved: probe bodies already have a property of that name.", nameof(name));
        }

        if (probe == ProbeKind.Resolver && (!CheckNames.IsValid(kind) || CheckNames.IsReserved(kind!)))
        {
            throw new ArgumentException($"Resolver check '{name}' needs a Kind of 1 to 63 characters of a-z, 0-9, '_', '.', '-' (was '{kind}').", nameof(kind));
        }

        if (!Enum.IsDefined(probe))
        {
            throw new ArgumentOutOfRangeException(nameof(probe), probe, "Unknown probe kind.");
        }

        if (timeoutMs <= 0 && timeoutMs != UseDefault)
        {
            throw new ArgumentOutOfRangeException(nameof(timeoutMs), timeoutMs, "A check timeout must be greater than zero.");
        }

        if (cacheMs < 0 && cacheMs != UseDefault)
        {
            throw new ArgumentOutOfRangeException(nameof(cacheMs), cacheMs, "A cache duration cannot be negative.");
        }

        if (!Enum.IsDefined(invocation))
        {
            throw new ArgumentOutOfRangeException(nameof(invocation), invocation, "Unknown check invocation.");
        }

        Name = name;
        EncodedName = JsonEncodedText.Encode(name);
        Probe = probe;
        Kind = probe == ProbeKind.Resolver ? kind : null;
        EncodedKind = Kind is null ? default : JsonEncodedText.Encode(Kind);
        TimeoutMs = timeoutMs;
        CacheMs = cacheMs;
        Invoke = invoke;
        Invocation = invocation;
    }

    /// <summary>The check's name in responses and paths.</summary>
    public string Name { get; }

    /// <summary>The name, JSON-encoded once, so writing a response never re-encodes it.</summary>
    public JsonEncodedText EncodedName { get; }

    /// <summary>The probe the check belongs to.</summary>
    public ProbeKind Probe { get; }

    /// <summary>The resolver group for resolver checks; <see langword="null"/> otherwise.</summary>
    public string? Kind { get; }

    /// <summary>The resolver group, JSON-encoded once.</summary>
    public JsonEncodedText EncodedKind { get; }

    /// <summary>The per-execution timeout in ms, or <see cref="UseDefault"/>.</summary>
    public int TimeoutMs { get; }

    /// <summary>How long a result may be reused in ms, or <see cref="UseDefault"/>.</summary>
    public int CacheMs { get; }

    /// <summary>Calls the check method with services from the given provider.</summary>
    public Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> Invoke { get; }

    /// <summary>How the check is called: isolated on the thread pool, or inline on the request's thread.</summary>
    public CheckInvocation Invocation { get; }

    /// <summary>
    /// Greater than zero: a background check, run every <c>PeriodMs</c> (after the previous run ended) by HealthGen's
    /// scheduler; probes read its last result. 0: run on demand by the probes.
    /// </summary>
    public int PeriodMs
    {
        get => _periodMs;
        init => _periodMs = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(PeriodMs), value, "A period cannot be negative.");
    }

    /// <summary>Consecutive failed executions before the check is reported failing; at least 1.</summary>
    public int FailureThreshold
    {
        get => _failureThreshold;
        init => _failureThreshold = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(FailureThreshold), value, "A failure threshold must be at least 1.");
    }

    /// <summary>Names of checks of the same probe (resolvers: of the same kind) that must pass before this one runs.</summary>
    public IReadOnlyList<string> DependsOn
    {
        get => _dependsOn;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (string dependency in value)
            {
                if (!CheckNames.IsValid(dependency) || string.Equals(dependency, Name, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"{this} cannot depend on '{dependency}': a dependency is another check's valid name.", nameof(DependsOn));
                }
            }

            _dependsOn = value;
        }
    }

    /// <summary>
    /// Where the check comes from, for messages that must say which one is meant: the declaring assembly's name for
    /// generated checks (a check name taken twice names both), a description for imported <c>IHealthCheck</c>s.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>
    /// The status a failure HealthGen reports on the check's behalf gets (a timeout, a hung or cancelled execution,
    /// an exception): unhealthy, unless an imported registration's <c>FailureStatus</c> says degraded.
    /// </summary>
    internal HealthStatus FailureStatus { get; init; } = HealthStatus.Unhealthy;

    /// <inheritdoc/>
    public override string ToString() => Kind is null ? $"{Probe} check '{Name}'" : $"{Probe} check '{Name}' ({Kind})";

    /// <summary>The check and where it comes from, when known: <c>Readiness check 'database' (from Orders.Checks)</c>.</summary>
    internal string Describe() => Source is null ? ToString() : $"{this} (from {Source})";
}
