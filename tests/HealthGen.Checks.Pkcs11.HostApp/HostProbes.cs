using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Checks.Pkcs11.HostApp;

/// <summary>The service's readiness: its HSM token, checked by HealthGen on the module the service itself uses.</summary>
public static class HostProbes
{
    [ReadinessCheck("hsm")]
    public static Task<HealthResult> Hsm(Pkcs11Token token, CancellationToken cancellationToken) => token.ProbeAsync(cancellationToken);
}
