using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Checks.Pkcs11.Tests;

/// <summary>
/// Readiness probes running back to back on their own tasks, one loop per token, while a test drives the
/// application's client. Tests wait for a number of completed probes, never for a time: both sides run
/// until each has done enough, so they overlap however loaded the machine is.
/// </summary>
/// <remarks>
/// Declare it with <c>await using</c>: when a test fails half-way, the loops must end before the test's
/// cleanup finalizes the application's library, or that C_Finalize would run under a probe (undefined in
/// PKCS#11; SoftHSM2 frees its state and the test host crashes, hiding every other result).
/// </remarks>
internal sealed class ConcurrentProbes : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Pkcs11Token Token, HealthResult Result)> _results = [];
    private readonly Task[] _loops;
    private int _completed;

    private ConcurrentProbes(Pkcs11Token[] tokens)
        => _loops = tokens.Select(token => Task.Run(() => ProbeUntilStoppedAsync(token))).ToArray();

    /// <summary>Probes completed so far, over all tokens.</summary>
    public int Completed => Volatile.Read(ref _completed);

    public static ConcurrentProbes Start(params Pkcs11Token[] tokens) => new(tokens);

    /// <summary>Stops the loops and returns every result; a probe that threw fails the test here.</summary>
    public async Task<IReadOnlyList<(Pkcs11Token Token, HealthResult Result)>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        lock (_results)
        {
            return [.. _results];
        }
    }

    /// <summary>Stops the loops and waits for them, whatever they threw (the test already failed, or StopAsync reported it).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception)
        {
            // Reported by StopAsync on the test's own path; here only the loops' end matters.
        }

        _stop.Dispose();
    }

    private async Task ProbeUntilStoppedAsync(Pkcs11Token token)
    {
        while (!_stop.IsCancellationRequested)
        {
            HealthResult result = await token.ProbeAsync();
            lock (_results)
            {
                _results.Add((token, result));
            }

            Interlocked.Increment(ref _completed);
        }
    }
}
