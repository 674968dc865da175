using System.Net;
using System.Threading.Tasks;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// Probes in a production-hardened application (AllowedHosts, the application's own bearer authentication, a
/// fallback policy): the kubelet's requests — pod IP as Host, no credentials — get 200 on every probe path, while
/// every other path keeps its host filtering and its authorization (docs/kubernetes.md, "Hardened applications
/// and probes").
/// </summary>
public sealed class HardenedHostingTests
{
    public static readonly TheoryData<HostFilteringSetup> Setups = [HostFilteringSetup.DefaultBuilder, HostFilteringSetup.SlimBuilder, HostFilteringSetup.ByHand];

    /// <summary>Every probe path: the overall probe, the four probes and one check of each.</summary>
    private static readonly string[] ProbePaths =
    [
        "/healthz", "/healthz/livez", "/healthz/readyz", "/healthz/startupz", "/healthz/resolversz",
        "/healthz/livez/heartbeat", "/healthz/readyz/database", "/healthz/startupz/migrations", "/healthz/resolversz/ldapresolver/ldapresolver1",
    ];

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task Every_probe_answers_200_whatever_the_Host_and_without_credentials(HostFilteringSetup setup)
    {
        await using HardenedApp app = await HardenedApp.StartAsync(setup);

        foreach (string host in new[] { HardenedApp.PodHost, app.LoopbackHost, HardenedApp.PublicName })
        {
            foreach (string path in ProbePaths)
            {
                (HttpStatusCode status, string body) = await app.GetAsync(path, host);
                Assert.True(status == HttpStatusCode.OK, $"{setup}: GET {path} with Host {host} answered {(int)status} {body}");
            }

            Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(System.Net.Http.HttpMethod.Head, "/healthz/livez", host)).Status);
        }
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task The_applications_own_paths_keep_their_host_filtering_and_authorization(HostFilteringSetup setup)
    {
        await using HardenedApp app = await HardenedApp.StartAsync(setup);

        Assert.Equal(HttpStatusCode.BadRequest, (await app.GetAsync("/orders", HardenedApp.PodHost)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.GetAsync("/orders", app.LoopbackHost)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/orders", HardenedApp.PublicName)).Status);
        string token = await app.SignInAsync();
        Assert.Equal((HttpStatusCode.OK, "[]"), await app.GetAsync("/orders", HardenedApp.PublicName, token));

        // A path under the prefix that is no probe is an ordinary unknown path of the application.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.GetAsync("/healthz/nonsense", HardenedApp.PodHost)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.GetAsync("/healthz/nonsense", HardenedApp.PublicName)).Status);
        // An unknown check of a probe is the probe's own 404 (its names are in the probe's body anyway).
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync("/healthz/readyz/nonsense", HardenedApp.PodHost)).Status);
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task Details_take_HealthGens_token_under_the_applications_bearer_authentication_and_follow_its_host_filtering(HostFilteringSetup setup)
    {
        await using HardenedApp app = await HardenedApp.StartAsync(setup);

        (HttpStatusCode status, string body) = await app.GetAsync("/healthz/details", HardenedApp.PublicName, HardenedApp.DetailsToken);
        Assert.True(status == HttpStatusCode.OK, $"{setup}: details with the token answered {(int)status} {body}");
        Assert.Contains("\"readyz\"", body, System.StringComparison.Ordinal);

        // Without the token, or with the application's own token, details stay the same 404.
        Assert.Equal((HttpStatusCode.NotFound, ""), await app.GetAsync("/healthz/details", HardenedApp.PublicName));
        Assert.Equal((HttpStatusCode.NotFound, ""), await app.GetAsync("/healthz/details", HardenedApp.PublicName, await app.SignInAsync()));
        Assert.Equal((HttpStatusCode.NotFound, ""), await app.GetAsync("/healthz/details", HardenedApp.PublicName, "wrong-" + HardenedApp.DetailsToken));

        // Details are for operators, not for the kubelet: they keep the application's host filtering.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.GetAsync("/healthz/details", HardenedApp.PodHost, HardenedApp.DetailsToken)).Status);
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task The_exec_probe_exits_0_against_its_hardened_application(HostFilteringSetup setup)
    {
        await using HardenedApp app = await HardenedApp.StartAsync(setup);

        foreach (string probe in new[] { "livez", "readyz", "startupz", "resolversz" })
        {
            Assert.True(HealthGenProbe.TryRun(["probe", $"http://127.0.0.1:{app.Port}/healthz/{probe}"], out int exitCode));
            Assert.True(exitCode == 0, $"{setup}: probe {probe} exited {exitCode}");
        }
    }
}
