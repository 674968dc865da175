using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using HealthGen.Testing;
using HealthGen.Testing.Servers;

namespace HealthGen.Checks.Pkcs11.Tests;

/// <summary>
/// tests/HealthGen.Checks.Pkcs11.HostApp run as its own process (<see cref="AppProcess"/>) on a free loopback port,
/// with its own SoftHSM2 state (the fixture's configuration and tokens, a separate initialization); the tests stop
/// it with SIGTERM the way Kubernetes stops a pod (<see cref="AppProcess.StopAsync"/>).
/// </summary>
internal static class HostAppProcess
{
    public static string Program => Path.Combine(AppContext.BaseDirectory, "hostapp", "HealthGen.Checks.Pkcs11.HostApp.dll");

    /// <param name="checkPin">The PIN HealthGen's check logs in with; null: the check does not log in.</param>
    public static Task<AppProcess> StartAsync(SoftHsm hsm, SoftHsmToken token, string? checkPin)
    {
        Assert.True(File.Exists(Program), $"The host app was not built next to the tests: {Program}");
        int port = ServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(Program)! };
        start.ArgumentList.Add(Program);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["SOFTHSM2_CONF"] = hsm.ConfigurationPath;
        start.Environment["App__Module"] = SoftHsm.ModulePath;
        start.Environment["App__TokenLabel"] = token.Label;
        start.Environment["App__Pin"] = token.Pin;
        start.Environment["Hsm__Module"] = SoftHsm.ModulePath;
        start.Environment["Hsm__TokenLabel"] = token.Label;
        if (checkPin is not null)
        {
            start.Environment["Hsm__Pin"] = checkPin;
        }

        // About shutdown, not timeouts: a cold process on a loaded machine must not fail a probe on time.
        start.Environment["HealthGen__DefaultTimeoutMs"] = "10000";

        // livez never touches the HSM, so the order of first use stays the test's choice.
        return AppProcess.StartAsync(start, port, "/healthz/livez", "The host app");
    }
}
