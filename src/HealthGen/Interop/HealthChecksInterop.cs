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
/// <c>IHealthCheckPublisher</c>s, and existing <c>IHealthCheck</c>s tagged <c>live</c> or <c>ready</c> join
/// HealthGen's probes.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HealthChecksInterop
{
    /// <summary>Tag on every registration HealthGen adds, so they are never imported back.</summary>
    public const string HealthGenTag = "healthgen";

    /// <summary>Tags that make an existing <c>IHealthCheck</c> a HealthGen liveness or readiness check.</summary>
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
            builder.Add(new MsHealthCheckRegistration(
                Probes.HealthCheckSet.PathOf(check),
                services => new HealthGenHealthCheck(check, services.GetService<CheckExecutor>()
                    ?? throw new InvalidOperationException("AddHealthGenChecks needs the HealthGen services: call services.AddHealthGen() too.")),
                failureStatus: null,
                tags: [TagOf(check.Probe), HealthGenTag]));
        }

        return builder;
    }

    /// <summary>
    /// The existing <c>IHealthCheck</c> registrations tagged <c>live</c> or <c>ready</c> (and not added by
    /// HealthGen), as HealthGen checks. Their names become check names: lower-cased, with characters outside
    /// <c>[a-z0-9_.-]</c> replaced by <c>_</c>.
    /// </summary>
    internal static List<HealthGen.HealthCheckRegistration> Import(IEnumerable<MsHealthCheckRegistration> registrations)
    {
        var imported = new List<HealthGen.HealthCheckRegistration>();
        foreach (MsHealthCheckRegistration registration in registrations)
        {
            if (registration.Tags.Contains(HealthGenTag))
            {
                continue;
            }

            bool live = registration.Tags.Contains(LiveTag);
            bool ready = registration.Tags.Contains(ReadyTag);
            if (!live && !ready)
            {
                continue;
            }

            string name = CheckNameFor(registration.Name);
            int timeoutMs = registration.Timeout > TimeSpan.Zero && registration.Timeout != Timeout.InfiniteTimeSpan
                ? (int)Math.Ceiling(registration.Timeout.TotalMilliseconds)
                : HealthGen.HealthCheckRegistration.UseDefault;
            Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> invoke = (services, token) => RunAsync(registration, services, token);
            if (live)
            {
                imported.Add(new HealthGen.HealthCheckRegistration(name, ProbeKind.Liveness, null, timeoutMs, HealthGen.HealthCheckRegistration.UseDefault, invoke));
            }

            if (ready)
            {
                imported.Add(new HealthGen.HealthCheckRegistration(name, ProbeKind.Readiness, null, timeoutMs, HealthGen.HealthCheckRegistration.UseDefault, invoke));
            }
        }

        return imported;
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
                $"The health check '{registrationName}' is tagged '{LiveTag}' or '{ReadyTag}' but its name cannot be a HealthGen check name ('{result}'): rename it to match ^[a-z0-9][a-z0-9_.-]{{0,62}}$.");
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
