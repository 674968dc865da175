using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace HealthGen.Hosting;

/// <summary>
/// Who may call HealthGen's endpoints, decided per endpoint after all the group's conventions have run (it is a
/// <c>Finally</c> convention), so it sees what the team put on the group (docs/kubernetes.md, "Hardened
/// applications and probes"):
/// <list type="bullet">
/// <item>An endpoint with authorization metadata (<c>RequireAuthorization</c> on the group or an outer group) is
/// left as the team made it. <c>[AllowAnonymous]</c> wins over any authorization requirement in ASP.NET Core's
/// authorization middleware, so adding it there would silently undo the team's choice.</item>
/// <item>Otherwise a probe gets <c>[AllowAnonymous]</c>, which wins over a fallback policy (the kubelet has no
/// credentials), and <see cref="OpenProbeMetadata"/> — unless <see cref="HealthGenOptions.OpenProbes"/> is off.</item>
/// <item>Otherwise details get <c>[AllowAnonymous]</c> too: their own token is their guard, and the application's
/// bearer handler, which does not know that token, must not turn it into a 401.</item>
/// </list>
/// </summary>
internal static class ProbeAccess
{
    private static readonly AllowAnonymousAttribute AllowAnonymous = new();

    public static void Apply(EndpointBuilder endpoint, bool openProbes)
    {
        HealthGenEndpointMetadata? kind = null;
        foreach (object metadata in endpoint.Metadata)
        {
            if (metadata is IAuthorizeData or AuthorizationPolicy or IAuthorizationRequirementData)
            {
                return;
            }

            kind ??= metadata as HealthGenEndpointMetadata;
        }

        if (kind is null || (kind.IsProbe && !openProbes))
        {
            return;
        }

        endpoint.Metadata.Add(AllowAnonymous);
        if (kind.IsProbe)
        {
            endpoint.Metadata.Add(OpenProbeMetadata.Instance);
        }
    }
}
