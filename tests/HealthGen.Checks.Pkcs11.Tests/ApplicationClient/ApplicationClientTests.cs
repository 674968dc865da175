using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Checks.Pkcs11.HostApp;

namespace HealthGen.Checks.Pkcs11.Tests;

/// <summary>
/// HealthGen's check beside the application's own PKCS#11 client (Pkcs11Interop 5.3.0) in one process, on one
/// real SoftHSM2 module, in both orders of initialization: the check must never make the application fail,
/// and must keep answering whatever the application does with the module. Each test uses its own copy of the
/// module (its own process-wide PKCS#11 state), so finalizing it does not touch the module the other tests share.
/// </summary>
[Collection(SoftHsmCollection.Name)]
public sealed class ApplicationClientTests(SoftHsm hsm) : IDisposable
{
    private const string Present = "token 'healthgen-app' present and initialized";
    private const string LoginOk = Present + ", login OK";
    private const string AlreadyLoggedIn = Present + ", login OK (user already logged in)";
    private const string NotChecked = Present + ", login not checked (the module is shared with another PKCS#11 client in this process)";

    /// <summary>How much each side does while the other runs: counts, not durations (no timing assertions).</summary>
    private const int Enough = 200;

    private static readonly TimeSpan s_generousBound = TimeSpan.FromMinutes(1);

    private readonly List<IDisposable> _owned = [];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_logged_in_application_keeps_creating_private_objects_while_probes_with_and_without_a_PIN_run(bool healthGenFirst)
    {
        (ApplicationHsm application, Pkcs11Token withPin, Pkcs11Token withoutPin) = Start("objects", healthGenFirst);
        await InitializeInOrderAsync(healthGenFirst, application, withPin);

        await using ConcurrentProbes probes = ConcurrentProbes.Start(withPin, withoutPin);
        await Task.Run(() =>
        {
            while (application.ObjectsCreated < Enough || probes.Completed < Enough)
            {
                // Private objects need a logged-in session: CKR_USER_NOT_LOGGED_IN if the check logged the application out.
                application.CreateAndDestroyPrivateObject();
            }
        });
        IReadOnlyList<(Pkcs11Token Token, HealthResult Result)> results = await probes.StopAsync();

        Assert.True(application.IsLoggedIn);
        AssertEvery(results, withoutPin, Present);
        // HealthGen first: the check cannot see a client that initialized after it, but a fresh session shows
        // the application's login, so it neither logs in nor out. Application first: it never logs in at all.
        AssertEvery(results, withPin, healthGenFirst ? AlreadyLoggedIn : NotChecked);
        Assert.Equal(!healthGenFirst, withPin.ModuleSharedInProcess);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    // Not (true, true): a check that logs in with a PIN on a module it initialized itself cannot see an application
    // that initialized later, so both can call C_Login at the same instant, and PKCS#11 offers no way to rule that
    // out. docs/checks.md ("Login") therefore says to leave Hsm:Pin unset when the application logs in itself.
    public async Task The_application_logging_in_and_out_again_and_again_never_meets_a_login_of_the_check(bool healthGenFirst, bool checkPin)
    {
        (ApplicationHsm application, Pkcs11Token withPin, Pkcs11Token withoutPin) = Start($"logins-{checkPin}", healthGenFirst);
        Pkcs11Token check = checkPin ? withPin : withoutPin;
        string expected = checkPin ? NotChecked : Present;
        if (healthGenFirst)
        {
            Assert.Equal(HealthResult.Healthy(Present), await check.ProbeAsync());
            application.Initialize();
        }
        else
        {
            application.Initialize();
            Assert.Equal(HealthResult.Healthy(expected), await check.ProbeAsync());
        }

        await using ConcurrentProbes probes = ConcurrentProbes.Start(check);
        int logins = 0;
        await Task.Run(() =>
        {
            while (logins < Enough || probes.Completed < Enough)
            {
                application.OpenSessionAndLogIn(); // throws on CKR_USER_ALREADY_LOGGED_IN: the check would be logged in
                application.CreateAndDestroyPrivateObject(); // throws on CKR_USER_NOT_LOGGED_IN: the check would have logged out
                application.LogOutAndCloseSession();
                logins++;
            }
        });
        IReadOnlyList<(Pkcs11Token Token, HealthResult Result)> results = await probes.StopAsync();

        AssertEvery(results, check, expected);
        Assert.Equal(logins, application.ObjectsCreated);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_application_finalizing_and_initializing_again_in_a_pause_never_fails_a_probe(bool healthGenFirst)
    {
        (ApplicationHsm application, Pkcs11Token withPin, Pkcs11Token withoutPin) = Start("restart", healthGenFirst);
        await InitializeInOrderAsync(healthGenFirst, application, withPin);

        await using ConcurrentProbes probes = ConcurrentProbes.Start(withPin, withoutPin);
        int restarts = 0;
        await Task.Run(() =>
        {
            while (restarts < 20 || probes.Completed < Enough)
            {
                // Pkcs11Interop's Dispose is C_Finalize, and PKCS#11 leaves it undefined while a probe is inside the
                // module: the pause (of any token on the module) keeps the probes out meanwhile.
                using (withoutPin.PauseProbes(s_generousBound))
                {
                    application.FinalizeLibrary();
                    application.Initialize();
                    application.OpenSessionAndLogIn();
                }

                application.CreateAndDestroyPrivateObject();
                restarts++;
            }
        });
        IReadOnlyList<(Pkcs11Token Token, HealthResult Result)> results = await probes.StopAsync();

        AssertEvery(results, withoutPin, Present);
        // Until the first pause, the check with a PIN sees the application's login; the pause tells it the module is shared.
        AssertEvery(results, withPin, healthGenFirst ? [AlreadyLoggedIn, NotChecked] : [NotChecked]);
        Assert.Equal(1, withPin.ModuleInitializeCalls); // the application initialized the module again each time
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_module_the_application_left_finalized_is_initialized_again_by_the_next_probe_while_probes_run(bool healthGenFirst)
    {
        (ApplicationHsm application, Pkcs11Token withPin, Pkcs11Token withoutPin) = Start("finalized", healthGenFirst);
        await InitializeInOrderAsync(healthGenFirst, application, withPin);

        await using ConcurrentProbes probes = ConcurrentProbes.Start(withPin, withoutPin);
        int rounds = 0;
        await Task.Run(async () =>
        {
            while (rounds < 10 || probes.Completed < Enough)
            {
                using (withPin.PauseProbes(s_generousBound))
                {
                    application.FinalizeLibrary();
                }

                // A probe that left the module just before the pause may not have handed over its result yet, and a
                // caller joins the probe in flight: this first call can get that probe's result. The second is a probe
                // that started after the finalization: its first call answers CKR_CRYPTOKI_NOT_INITIALIZED, the check
                // initializes the module again and runs once more, so readiness recovers with that very probe.
                Assert.Equal(HealthResult.Healthy(Present), await withoutPin.ProbeAsync());
                Assert.Equal(HealthResult.Healthy(Present), await withoutPin.ProbeAsync());

                using (withPin.PauseProbes(s_generousBound))
                {
                    application.Initialize(); // CKR_CRYPTOKI_ALREADY_INITIALIZED now, which Pkcs11Interop accepts
                    application.OpenSessionAndLogIn();
                }

                application.CreateAndDestroyPrivateObject();
                rounds++;
            }
        });
        IReadOnlyList<(Pkcs11Token Token, HealthResult Result)> results = await probes.StopAsync();

        AssertEvery(results, withoutPin, Present);
        AssertEvery(results, withPin, healthGenFirst ? [AlreadyLoggedIn, NotChecked] : [NotChecked]);
        Assert.Equal(1 + rounds, withPin.ModuleInitializeCalls); // one initialization by the check per finalization
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_module_the_application_finalized_between_probes_is_initialized_again_and_the_probe_answers(bool healthGenFirst)
    {
        (ApplicationHsm application, Pkcs11Token withPin, Pkcs11Token withoutPin) = Start("between", healthGenFirst);
        await InitializeInOrderAsync(healthGenFirst, application, withPin);

        application.FinalizeLibrary();

        Assert.Equal(HealthResult.Healthy(Present), await withoutPin.ProbeAsync());
        Assert.Equal(2, withoutPin.ModuleInitializeCalls);
        // Finalized under it: the check now knows another client uses the module, and stops logging in.
        Assert.Equal(HealthResult.Healthy(NotChecked), await withPin.ProbeAsync());
        Assert.Equal(2, withPin.ModuleInitializeCalls);

        application.Initialize();
        application.OpenSessionAndLogIn();
        application.CreateAndDestroyPrivateObject();
        Assert.True(application.IsLoggedIn);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Disposing_the_check_leaves_the_module_and_the_login_of_the_application_alone(bool healthGenFirst)
    {
        (ApplicationHsm application, Pkcs11Token withPin, Pkcs11Token withoutPin) = Start("dispose", healthGenFirst);
        await InitializeInOrderAsync(healthGenFirst, application, withPin);
        Assert.Equal(HealthResult.Healthy(Present), await withoutPin.ProbeAsync());

        withPin.Dispose();
        withoutPin.Dispose();
        withoutPin.Dispose(); // twice: harmless

        Assert.Throws<ObjectDisposedException>(() => withPin.PauseProbes(s_generousBound));
        application.CreateAndDestroyPrivateObject();
        Assert.True(application.IsLoggedIn);
        // The shutdown of issue 18 in one process: the application's C_CloseSession and C_Finalize succeed,
        // because the check finalized nothing (before, C_CloseSession threw CKR_CRYPTOKI_NOT_INITIALIZED here).
        application.FinalizeLibrary();
    }

    [Fact]
    public async Task A_pause_waits_for_the_probe_inside_the_module_and_holds_new_probes_until_it_ends()
    {
        (_, Pkcs11Token withPin, Pkcs11Token withoutPin) = Start("pause", healthGenFirst: true);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        withoutPin.BeforeNativeCalls = () =>
        {
            inside.Set();
            release.Wait();
        };

        Task<HealthResult> held = withoutPin.ProbeAsync();
        Assert.True(inside.Wait(s_generousBound));

        // A probe of another token on the same module is inside (held by the test): the pause cannot start.
        Assert.Throws<TimeoutException>(() => withPin.PauseProbes(TimeSpan.FromMilliseconds(50)));
        withoutPin.BeforeNativeCalls = null;
        release.Set();
        Assert.Equal(HealthResult.Healthy(Present), await held);

        IDisposable pause = withPin.PauseProbes(s_generousBound);
        Task<HealthResult> waiting = withoutPin.ProbeAsync();
        Task<HealthResult> joined = withoutPin.ProbeAsync();
        Assert.False(waiting.IsCompleted); // it cannot: its thread waits for the module until the pause ends
        pause.Dispose();
        pause.Dispose(); // twice: harmless, and lets no second pause's probes in early (see below)

        Assert.Equal(HealthResult.Healthy(Present), await waiting);
        Assert.Equal(HealthResult.Healthy(Present), await joined);
        // Whoever pauses the probes uses the module: the check with a PIN no longer logs in.
        Assert.True(withPin.ModuleSharedInProcess);
        Assert.Equal(HealthResult.Healthy(NotChecked), await withPin.ProbeAsync());

        Task<HealthResult> again;
        using (withPin.PauseProbes(s_generousBound))
        {
            again = withoutPin.ProbeAsync();
            Assert.False(again.IsCompleted);
            Assert.Throws<TimeoutException>(() => withoutPin.PauseProbes(TimeSpan.FromMilliseconds(50))); // pauses do not nest
        }

        Assert.Equal(HealthResult.Healthy(Present), await again);
    }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }

    /// <summary>A private copy of the module, the application's client on it, and the check with and without a PIN.</summary>
    private (ApplicationHsm Application, Pkcs11Token WithPin, Pkcs11Token WithoutPin) Start(string name, bool healthGenFirst)
    {
        string module = hsm.CopyModule($"libsofthsm2-{name}-{(healthGenFirst ? "healthgen" : "application")}-first.so");
        SoftHsmToken token = hsm.Application;
        var application = Own(new ApplicationHsm(module, token.Label, token.Pin));
        var withPin = Own(new Pkcs11Token(new Pkcs11Options { Module = module, TokenLabel = token.Label, Pin = token.Pin }));
        var withoutPin = Own(new Pkcs11Token(new Pkcs11Options { Module = module, TokenLabel = token.Label }));
        return (application, withPin, withoutPin);
    }

    /// <summary>Who initializes the module first; afterwards the application is logged in and the check has probed once.</summary>
    private static async Task InitializeInOrderAsync(bool healthGenFirst, ApplicationHsm application, Pkcs11Token withPin)
    {
        if (healthGenFirst)
        {
            // The check alone: it initializes the module (CKR_OK) and logs in and out with its PIN.
            Assert.Equal(HealthResult.Healthy(LoginOk), await withPin.ProbeAsync());
            application.Initialize(); // CKR_CRYPTOKI_ALREADY_INITIALIZED, which Pkcs11Interop accepts
            application.OpenSessionAndLogIn();
        }
        else
        {
            application.Initialize();
            application.OpenSessionAndLogIn();
            // CKR_CRYPTOKI_ALREADY_INITIALIZED: the check knows it shares the module and does not log in.
            Assert.Equal(HealthResult.Healthy(NotChecked), await withPin.ProbeAsync());
        }

        Assert.Equal(1, withPin.ModuleInitializeCalls);
        application.CreateAndDestroyPrivateObject();
    }

    private static void AssertEvery(IReadOnlyList<(Pkcs11Token Token, HealthResult Result)> results, Pkcs11Token token, params string[] allowed)
    {
        HealthResult[] mine = results.Where(r => ReferenceEquals(r.Token, token)).Select(r => r.Result).ToArray();
        Assert.NotEmpty(mine);
        Assert.All(mine, result =>
        {
            Assert.Equal(HealthStatus.Healthy, result.Status);
            Assert.Contains(result.Description, allowed);
        });
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
