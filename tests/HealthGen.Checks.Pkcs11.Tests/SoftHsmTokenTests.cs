using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Checks.Pkcs11.HostApp;

namespace HealthGen.Checks.Pkcs11.Tests;

/// <summary>Probes against real SoftHSM2 tokens.</summary>
[Collection(SoftHsmCollection.Name)]
public sealed class SoftHsmTokenTests(SoftHsm hsm)
{
    [Fact]
    public async Task A_present_initialized_token_with_the_right_PIN_is_healthy()
    {
        using var token = new Pkcs11Token(hsm.Options(hsm.Healthy));

        HealthResult result = await token.ProbeAsync();

        Assert.Equal(HealthResult.Healthy("token 'healthgen-ok' present and initialized, login OK"), result);
    }

    [Fact]
    public void The_synchronous_probe_gives_the_same_answer()
    {
        using var token = new Pkcs11Token(hsm.Options(hsm.Healthy));

        Assert.Equal(HealthResult.Healthy("token 'healthgen-ok' present and initialized, login OK"), token.Probe());
    }

    [Fact]
    public async Task Without_a_PIN_the_probe_checks_presence_and_initialization_only()
    {
        using var token = new Pkcs11Token(new Pkcs11Options { Module = SoftHsm.ModulePath, TokenLabel = hsm.Healthy.Label });

        Assert.Equal(HealthResult.Healthy("token 'healthgen-ok' present and initialized"), await token.ProbeAsync());
    }

    [Fact]
    public async Task A_label_no_token_has_is_reported()
    {
        using var token = new Pkcs11Token(new Pkcs11Options { Module = SoftHsm.ModulePath, TokenLabel = "no-such-token", Pin = "pin-never-shown" });

        HealthResult result = await token.ProbeAsync();

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        // Once the removal test has run, that token's slot is unreadable, and the description says so.
        Assert.Matches(@"^no token with label 'no-such-token'( \(slot \d+ could not be read: CKR_GENERAL_ERROR\))?$", result.Description);
        AssertNoSecret(result, "pin-never-shown");
    }

    [Fact]
    public async Task A_wrong_PIN_is_reported_as_such_and_never_shown()
    {
        const string wrongPin = "wrong-pin-0000";
        using var token = new Pkcs11Token(hsm.Options(hsm.WrongPin, pin: wrongPin));

        HealthResult result = await token.ProbeAsync();

        Assert.Equal(HealthResult.Unhealthy("login failed: PIN incorrect"), result);
        AssertNoSecret(result, wrongPin);
        AssertNoSecret(result, hsm.WrongPin.Pin);
    }

    [Fact]
    public async Task The_token_can_be_chosen_by_slot_id()
    {
        using var token = new Pkcs11Token(new Pkcs11Options { Module = SoftHsm.ModulePath, SlotId = hsm.Healthy.SlotId, Pin = hsm.Healthy.Pin });

        Assert.Equal(HealthResult.Healthy($"token in slot {hsm.Healthy.SlotId} present and initialized, login OK"), await token.ProbeAsync());
    }

    [Fact]
    public async Task A_slot_id_the_module_does_not_have_is_reported()
    {
        using var token = new Pkcs11Token(new Pkcs11Options { Module = SoftHsm.ModulePath, SlotId = 0xDEAD_BEEF });

        Assert.Equal(HealthResult.Unhealthy("slot 3735928559 not found"), await token.ProbeAsync());
    }

    [Fact]
    public async Task An_uninitialized_token_is_reported()
    {
        using var token = new Pkcs11Token(new Pkcs11Options { Module = SoftHsm.ModulePath, SlotId = hsm.UninitializedSlotId, Pin = "1234" });

        Assert.Equal(HealthResult.Unhealthy("token not initialized"), await token.ProbeAsync());
    }

    [Fact]
    public async Task A_token_whose_directory_is_removed_fails_and_stays_failed_until_the_module_is_initialized_again()
    {
        using var token = new Pkcs11Token(hsm.Options(hsm.Removable));
        Assert.Equal(HealthStatus.Healthy, (await token.ProbeAsync()).Status);
        string backup = hsm.BackupPath(hsm.Removable);
        CopyDirectory(hsm.Removable.Directory, backup);

        Directory.Delete(hsm.Removable.Directory, recursive: true);
        HealthResult removed = await token.ProbeAsync();

        // SoftHSM2 (2.6) keeps the slot and says the token is present, but every call about it answers
        // CKR_GENERAL_ERROR, so the label cannot be read and the probe says which slot is unreadable.
        Assert.Equal(HealthStatus.Unhealthy, removed.Status);
        Assert.Matches(@"^no token with label 'healthgen-removable' \(slot \d+ could not be read: CKR_GENERAL_ERROR\)$", removed.Description);

        CopyDirectory(backup, hsm.Removable.Directory);
        HealthResult restored = await token.ProbeAsync();

        // Restoring the files does not bring the token back: SoftHSM2 reads its token directories when the
        // module is initialized, and a token whose files went missing stays broken for the rest of that
        // initialization (moving the directory away and back behaves the same). Only C_Finalize and
        // C_Initialize recover it, i.e. a new process (pod restart) or the application finalizing the module
        // (the check never does); see the next test. The readiness probe therefore keeps failing, which is
        // right: this process cannot use the token.
        Assert.Equal(removed, restored);
        Assert.Equal(1, token.ModuleInitializeCalls);
    }

    [Fact]
    public async Task A_restored_token_is_healthy_again_once_the_application_initializes_the_module_anew()
    {
        // A private copy of the library, so finalizing it does not disturb the module the other tests share.
        string module = hsm.CopyModule("libsofthsm2-reinit.so");
        var options = new Pkcs11Options { Module = module, TokenLabel = hsm.Reinitializable.Label, Pin = hsm.Reinitializable.Pin };
        string backup = hsm.BackupPath(hsm.Reinitializable);

        using (var first = new Pkcs11Token(options))
        {
            Assert.Equal(HealthStatus.Healthy, (await first.ProbeAsync()).Status);
            CopyDirectory(hsm.Reinitializable.Directory, backup);
            Directory.Delete(hsm.Reinitializable.Directory, recursive: true);
            Assert.Equal(HealthStatus.Unhealthy, (await first.ProbeAsync()).Status);
            CopyDirectory(backup, hsm.Reinitializable.Directory);
            Assert.Equal(HealthStatus.Unhealthy, (await first.ProbeAsync()).Status);
        } // disposing the check finalizes nothing: the application may be using the module

        using var second = new Pkcs11Token(options);
        Assert.Equal(HealthStatus.Unhealthy, (await second.ProbeAsync()).Status);
        Assert.Equal(1, second.ModuleInitializeCalls);

        // The application's own client comes and goes: Pkcs11Interop's C_Initialize answers
        // CKR_CRYPTOKI_ALREADY_INITIALIZED, and its Dispose calls C_Finalize. That happens inside a pause,
        // because PKCS#11 leaves C_Finalize undefined while another thread (a probe) is inside the module.
        using (second.PauseProbes(TimeSpan.FromMinutes(1)))
        {
            using var application = new ApplicationHsm(module, hsm.Reinitializable.Label, hsm.Reinitializable.Pin);
            application.Initialize();
        }

        // The module was left finalized: the probe initializes it again (reading the restored token) and answers.
        // Without a PIN check: the application paused the probes, so the check knows it shares the module.
        Assert.Equal(HealthResult.Healthy("token 'healthgen-reinit' present and initialized, login not checked (the module is shared with another PKCS#11 client in this process)"), await second.ProbeAsync());
        Assert.Equal(2, second.ModuleInitializeCalls);
    }

    [Fact]
    public async Task A_module_installed_after_start_up_is_picked_up_by_the_next_probe()
    {
        string module = Path.Combine(hsm.Root, "mounted-later", "libsofthsm2.so");
        using var token = new Pkcs11Token(new Pkcs11Options { Module = module, TokenLabel = hsm.Healthy.Label, Pin = hsm.Healthy.Pin });

        Assert.Equal(HealthResult.Unhealthy("module not found"), await token.ProbeAsync());

        Directory.CreateDirectory(Path.GetDirectoryName(module)!);
        File.Copy(SoftHsm.ModulePath, module);
        Assert.Equal(HealthStatus.Healthy, (await token.ProbeAsync()).Status);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_probe_on_a_dedicated_thread_and_one_module_initialization()
    {
        using var token = new Pkcs11Token(hsm.Options(hsm.Healthy));
        using var release = new ManualResetEventSlim();
        bool? ranOnThreadPool = null;
        token.BeforeNativeCalls = () =>
        {
            ranOnThreadPool = Thread.CurrentThread.IsThreadPoolThread;
            release.Wait();
        };

        var probes = new Task<HealthResult>[200];
        Parallel.For(0, probes.Length, i => probes[i] = token.ProbeAsync());

        // The first probe is held before its native calls, so all 200 callers joined it.
        Assert.DoesNotContain(probes, probe => probe.IsCompleted);
        Assert.Equal(1, token.ProbeRuns);

        release.Set();
        HealthResult[] results = await Task.WhenAll(probes);

        Assert.All(results, result => Assert.Equal(HealthResult.Healthy("token 'healthgen-ok' present and initialized, login OK"), result));
        Assert.Equal(1, token.ProbeRuns);
        Assert.False(ranOnThreadPool);
        Assert.Equal(1, token.ModuleInitializeCalls);
    }

    [Fact]
    public async Task Many_tokens_probing_concurrently_all_get_the_right_answer()
    {
        using var good = new Pkcs11Token(hsm.Options(hsm.Healthy));
        using var bad = new Pkcs11Token(hsm.Options(hsm.WrongPin, pin: "wrong-pin-0000"));
        // Without a PIN: two token objects logging in to the same token at once would see each other's login
        // ("user already logged in"), which is right but would make the expected description vary.
        using var bySlot = new Pkcs11Token(new Pkcs11Options { Module = SoftHsm.ModulePath, SlotId = hsm.Healthy.SlotId });

        Task<HealthResult>[] probes = Enumerable.Range(0, 200)
            .Select(i => Task.Run(() => (i % 3) switch { 0 => good.ProbeAsync(), 1 => bad.ProbeAsync(), _ => bySlot.ProbeAsync() }))
            .ToArray();
        HealthResult[] results = await Task.WhenAll(probes);

        for (int i = 0; i < results.Length; i++)
        {
            HealthResult expected = (i % 3) switch
            {
                0 => HealthResult.Healthy("token 'healthgen-ok' present and initialized, login OK"),
                1 => HealthResult.Unhealthy("login failed: PIN incorrect"),
                _ => HealthResult.Healthy($"token in slot {hsm.Healthy.SlotId} present and initialized"),
            };
            Assert.Equal(expected, results[i]);
        }

        Assert.Equal(1, good.ModuleInitializeCalls);
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_leaves_the_probe_running_for_the_others()
    {
        using var token = new Pkcs11Token(hsm.Options(hsm.Healthy));
        using var release = new ManualResetEventSlim();
        token.BeforeNativeCalls = () => release.Wait();
        using var impatient = new CancellationTokenSource();

        Task<HealthResult> cancelled = token.ProbeAsync(impatient.Token);
        Task<HealthResult> patient = token.ProbeAsync();
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(patient.IsCompleted);
        release.Set();
        Assert.Equal(HealthStatus.Healthy, (await patient).Status);
        Assert.Equal(1, token.ProbeRuns);
    }

    [Fact]
    public async Task Disposing_during_a_probe_lets_it_finish_and_refuses_new_ones()
    {
        var token = new Pkcs11Token(hsm.Options(hsm.Healthy));
        using var release = new ManualResetEventSlim();
        token.BeforeNativeCalls = () => release.Wait();

        Task<HealthResult> inFlight = token.ProbeAsync();
        token.Dispose();

        Assert.Throws<ObjectDisposedException>(() => { _ = token.ProbeAsync(); });
        release.Set();
        Assert.Equal(HealthStatus.Healthy, (await inFlight).Status);
        Assert.Equal(1, hsm.Anchor.ModuleInitializeCalls); // the anchor still holds the module: no finalize, no re-init
        Assert.Equal(HealthStatus.Healthy, (await hsm.Anchor.ProbeAsync()).Status);
    }

    [Fact]
    public async Task The_PIN_appears_in_no_description_or_exception()
    {
        const string pin = "secret-pin-8d41c7";
        string notALibrary = Path.Combine(hsm.Root, "pin-test-not-a-library.so");
        await File.WriteAllTextAsync(notALibrary, "not a library");
        Pkcs11Options[] setups =
        [
            new() { Module = SoftHsm.ModulePath, TokenLabel = hsm.WrongPin.Label, Pin = pin },
            new() { Module = SoftHsm.ModulePath, TokenLabel = "missing-token", Pin = pin },
            new() { Module = SoftHsm.ModulePath, SlotId = 0xDEAD_BEEF, Pin = pin },
            new() { Module = SoftHsm.ModulePath, SlotId = hsm.UninitializedSlotId, Pin = pin },
            new() { Module = Path.Combine(hsm.Root, "absent.so"), TokenLabel = hsm.Healthy.Label, Pin = pin },
            new() { Module = notALibrary, TokenLabel = hsm.Healthy.Label, Pin = pin },
        ];

        foreach (Pkcs11Options options in setups)
        {
            using var token = new Pkcs11Token(options);
            HealthResult result = await token.ProbeAsync();
            Assert.Equal(HealthStatus.Unhealthy, result.Status);
            AssertNoSecret(result, pin);
        }
    }

    private static void AssertNoSecret(HealthResult result, string secret)
    {
        Assert.DoesNotContain(secret, result.Description ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
        }
    }
}
