using System.Linq;
using System.Net;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;

namespace HealthGen.EndToEnd.Tests;

/// <summary>A probe storm must not become a dependency storm: N concurrent probes, one execution per cache window.</summary>
public sealed class ProbeStormTests
{
    [Fact]
    public async Task Two_hundred_concurrent_readyz_requests_run_a_200_ms_check_once()
    {
        // A cache window longer than the storm can take on a loaded machine, so the count is exact.
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["database"] = Behavior.Slow, configure: o => o.ReadinessCacheMs = 600_000);

        ProbeReply[] replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => host.GetAsync("/healthz/readyz")));

        Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(1, host.Scenario.Invocations("database"));
        Assert.Equal(1, host.Scenario.Invocations("cache"));
    }
}
