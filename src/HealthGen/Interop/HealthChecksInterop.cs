using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsHealthCheckRegistration = Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration;
using MsHealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace HealthGen.Interop;

/// <summary>
/// Bridges HealthGen and Microsoft.Extensions.Diagnostics.HealthChecks both ways, without reflection, so a
/// service can move to HealthGen one check at a time: HealthGen checks appear to <c>MapHealthChecks</c> and
/// <c>IHealthCheckPublisher</c>s, and existing <c>IHealthCheck</c>s join HealthGen's probes (the rule:
/// <see cref="HealthCheckImport"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HealthChecksInterop
{
    /// <summary>Tag on every registration HealthGen adds, so they are never imported back.</summary>
    public const string HealthGenTag = "healthgen";

    /// <summary>The tag that makes an existing <c>IHealthCheck</c> a HealthGen liveness check (and the <c>/alive</c> one of Aspire).</summary>
    public const string LiveTag = "live";

    /// <summary>See <see cref="LiveTag"/>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds every HealthGen check as an <c>IHealthCheck</c> named by its path (<c>readyz/database</c>) and tagged
    /// with its probe (<c>live</c>, <c>ready</c>, <c>startup</c>, <c>resolver</c>) and <c>healthgen</c>. Called
    /// by the generated <c>AddHealthGenChecks()</c>.
    /// </summary>
    public static IHealthChecksBuilder AddHealthGenChecks(IHealthChecksBuilder builder, IReadOnlyList<HealthGen.HealthCheckRegistration> checks)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(checks);
        foreach (HealthGen.HealthCheckRegistration check in checks)
        {
            // One slot per check, made on first use: MapHealthChecks asks the factory for a new IHealthCheck every run.
            CheckSlot? slot = null;
            builder.Add(new MsHealthCheckRegistration(
                Probes.HealthCheckSet.PathOf(check),
                services => new HealthGenHealthCheck(LazyInitializer.EnsureInitialized(ref slot, () => new CheckSlot(check, services.GetService<CheckExecutor>()
                    ?? throw new InvalidOperationException("AddHealthGenChecks needs the HealthGen services: call services.AddHealthGen() too."), TimeSpan.Zero))),
                failureStatus: null,
                tags: [TagOf(check.Probe), HealthGenTag]));
        }

        return builder;
    }

    /// <summary>
    /// The existing <c>IHealthCheck</c> registrations that join HealthGen's probes under <paramref name="rule"/> (never
    /// those <see cref="AddHealthGenChecks"/> added, never those in <paramref name="ignored"/>), as HealthGen checks.
    /// Their names become check names: lower-cased, with characters outside <c>[a-z0-9_.-]</c> replaced by <c>_</c>.
    /// Each keeps its registration's <c>Timeout</c> (else HealthGen's default) and <c>FailureStatus</c>, and runs
    /// through HealthGen's single flight, cache and timeout like any other check.
    /// </summary>
    internal static List<HealthGen.HealthCheckRegistration> Import(
        IEnumerable<MsHealthCheckRegistration> registrations, HealthCheckImport rule, IEnumerable<string> ignored)
    {
        var imported = new List<HealthGen.HealthCheckRegistration>();
        var leftOut = new HashSet<string>(ignored, StringComparer.Ordinal);
        var unmatched = new HashSet<string>(leftOut, StringComparer.Ordinal);
        var names = new List<string>();
        foreach (MsHealthCheckRegistration registration in registrations)
        {
            if (registration.Tags.Contains(HealthGenTag))
            {
                continue;
            }

            names.Add(registration.Name);
            unmatched.Remove(registration.Name);
            if (rule == HealthCheckImport.None || leftOut.Contains(registration.Name))
            {
                continue;
            }

            bool live = registration.Tags.Contains(LiveTag);
            bool ready = registration.Tags.Contains(ReadyTag) || (rule == HealthCheckImport.AspireConvention && !live);
            if (live)
            {
                imported.Add(AsHealthGenCheck(registration, ProbeKind.Liveness));
            }

            if (ready)
            {
                imported.Add(AsHealthGenCheck(registration, ProbeKind.Readiness));
            }
        }

        if (unmatched.Count > 0)
        {
            names.Sort(StringComparer.Ordinal);
            throw new InvalidOperationException(
                $"HealthGen:IgnoredHealthChecks names no IHealthCheck registration: {string.Join(", ", unmatched)}. The registrations are: {(names.Count == 0 ? "none" : string.Join(", ", names))}.");
        }

        return imported;
    }

    private static HealthGen.HealthCheckRegistration AsHealthGenCheck(MsHealthCheckRegistration registration, ProbeKind probe)
    {
        int timeoutMs = registration.Timeout > TimeSpan.Zero && registration.Timeout != Timeout.InfiniteTimeSpan
            ? (int)Math.Ceiling(registration.Timeout.TotalMilliseconds)
            : HealthGen.HealthCheckRegistration.UseDefault;
        return new HealthGen.HealthCheckRegistration(
            CheckNameFor(registration.Name), probe, null, timeoutMs, HealthGen.HealthCheckRegistration.UseDefault,
            (services, token) => RunAsync(registration, services, token))
        {
            Source = $"the IHealthCheck registration '{registration.Name}'",
            FailureStatus = registration.FailureStatus == MsHealthStatus.Degraded ? HealthStatus.Degraded : HealthStatus.Unhealthy,
        };
    }

    internal static string CheckNameFor(string registrationName)
    {
        var name = new StringBuilder(Math.Min(registrationName.Length, CheckNames.MaxLength));
        foreach (char c in registrationName)
        {
            if (name.Length == CheckNames.MaxLength)
            {
                break;
            }

            char lower = char.ToLowerInvariant(c);
            bool allowed = lower is (>= 'a' and <= 'z') or (>= '0' and <= '9') || (name.Length > 0 && lower is '_' or '.' or '-');
            if (allowed || name.Length > 0)
            {
                name.Append(allowed ? lower : '_');
            }
        }

        string result = name.ToString();
        if (!CheckNames.IsValid(result) || CheckNames.IsReserved(result))
        {
            throw new InvalidOperationException(
                $"The health check '{registrationName}' joins HealthGen's probes but its name cannot be a HealthGen check name ('{result}'): rename it to match ^[a-z0-9][a-z0-9_.-]{{0,62}}$, or leave it out with HealthGen:IgnoredHealthChecks.");
        }

        return result;
    }

    private static async ValueTask<HealthResult> RunAsync(MsHealthCheckRegistration registration, IServiceProvider services, CancellationToken cancellationToken)
    {
        IHealthCheck check = registration.Factory(services);
        HealthCheckResult result = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration }, cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            MsHealthStatus.Healthy => HealthResult.Healthy(result.Description),
            MsHealthStatus.Degraded => HealthResult.Degraded(result.Description, result.Exception),
            _ => HealthResult.Unhealthy(result.Description, result.Exception),
        };
    }

    private static string TagOf(ProbeKind probe) => probe switch
    {
        ProbeKind.Liveness => LiveTag,
        ProbeKind.Readiness => ReadyTag,
        ProbeKind.Startup => "startup",
        _ => "resolver",
    };
}
