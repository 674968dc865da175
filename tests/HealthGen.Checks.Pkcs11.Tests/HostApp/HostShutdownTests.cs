using System.Net;
using System.Threading.Tasks;
using HealthGen.Testing;

namespace HealthGen.Checks.Pkcs11.Tests;

/// <summary>
/// A real service (Kestrel, DI, its own Pkcs11Interop client and HealthGen's check on the same module) stopped
/// with SIGTERM: it must exit with 0 whichever of the two initialized the module first. The container disposes
/// Pkcs11Token before the application's client (see the host app's Program.cs), so a check that finalizes the
/// module at disposal pulls it from under the application's session, whose Dispose then throws
/// CKR_CRYPTOKI_NOT_INITIALIZED: an unhandled exception, exit code 134.
/// </summary>
[Collection(SoftHsmCollection.Name)]
public sealed class HostShutdownTests(SoftHsm hsm)
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task The_service_exits_cleanly_on_SIGTERM_whichever_initialized_the_module_first(bool healthGenFirst, bool checkLogsIn)
    {
        SoftHsmToken token = hsm.HostApplication;
        await using AppProcess host = await HostAppProcess.StartAsync(hsm, token, checkLogsIn ? token.Pin : null);

        if (healthGenFirst)
        {
            await AssertReady(host);
            await AssertApplicationWorks(host);
        }
        else
        {
            await AssertApplicationWorks(host);
            await AssertReady(host);
        }

        // Both keep working side by side before the shutdown.
        await AssertApplicationWorks(host);
        await AssertReady(host);

        int exitCode = await host.StopAsync();

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{host.Output}");
        Assert.DoesNotContain("Unhandled exception", host.Output, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_exits_cleanly_when_the_check_was_the_only_user_of_the_module()
    {
        // Nobody finalizes the module here (the check never does, the application never used it): PKCS#11 state
        // goes with the process, and SoftHSM2 exits cleanly without C_Finalize.
        SoftHsmToken token = hsm.HostApplication;
        await using AppProcess host = await HostAppProcess.StartAsync(hsm, token, token.Pin);
        await AssertReady(host);
        await AssertReady(host);

        int exitCode = await host.StopAsync();

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{host.Output}");
        Assert.DoesNotContain("Unhandled exception", host.Output, System.StringComparison.Ordinal);
    }

    private static async Task AssertReady(AppProcess host)
    {
        (HttpStatusCode status, string body) = await host.GetAsync("/healthz/readyz");
        Assert.True(status == HttpStatusCode.OK, $"readyz {(int)status} {body}\n{host.Output}");
    }

    private static async Task AssertApplicationWorks(AppProcess host)
    {
        (HttpStatusCode status, string body) = await host.GetAsync("/app/use");
        Assert.True(status == HttpStatusCode.OK, $"/app/use {(int)status} {body}\n{host.Output}");
    }
}
