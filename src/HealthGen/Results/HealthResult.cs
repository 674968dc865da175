using System;

namespace HealthGen;

/// <summary>
/// The result a check returns. A struct, so that returning a result from a check allocates nothing.
/// </summary>
/// <remarks>
/// <see cref="Description"/> and <see cref="Exception"/> are shown only on the token-protected
/// details endpoint, never on the unauthenticated probe endpoints.
/// </remarks>
public readonly struct HealthResult : IEquatable<HealthResult>
{
    private HealthResult(HealthStatus status, string? description, Exception? exception)
    {
        Status = status;
        Description = description;
        Exception = exception;
    }

    /// <summary>A result whose status is known only at run time (the failure status of an imported registration).</summary>
    internal static HealthResult Of(HealthStatus status, string? description, Exception? exception) => new(status, description, exception);

    /// <summary>Whether the check passed, is degraded or failed.</summary>
    public HealthStatus Status { get; }

    /// <summary>What the check observed, for operators (details endpoint and logs only).</summary>
    public string? Description { get; }

    /// <summary>The exception that made the check fail, if any (details endpoint and logs only).</summary>
    public Exception? Exception { get; }

    /// <summary>The check passed.</summary>
    public static HealthResult Healthy(string? description = null) => new(HealthStatus.Healthy, description, null);

    /// <summary>The check works but is impaired; the probe still passes and reports "degraded".</summary>
    public static HealthResult Degraded(string? description = null, Exception? exception = null) => new(HealthStatus.Degraded, description, exception);

    /// <summary>The check failed; the probe answers 503.</summary>
    public static HealthResult Unhealthy(string? description = null, Exception? exception = null) => new(HealthStatus.Unhealthy, description, exception);

    /// <inheritdoc/>
    public bool Equals(HealthResult other)
        => Status == other.Status && string.Equals(Description, other.Description, StringComparison.Ordinal) && ReferenceEquals(Exception, other.Exception);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is HealthResult other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Status, Description, Exception);

    /// <summary>Compares two results by status, description and exception instance.</summary>
    public static bool operator ==(HealthResult left, HealthResult right) => left.Equals(right);

    /// <summary>Compares two results by status, description and exception instance.</summary>
    public static bool operator !=(HealthResult left, HealthResult right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => Description is null ? Status.ToString() : $"{Status}: {Description}";
}
