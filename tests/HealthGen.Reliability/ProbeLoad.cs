using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Reliability;

/// <summary>
/// Continuous probing from a separate client, like kubelets and load balancers: a few loops, each sending
/// one request after another, recording every answer with its time. Bounded by a stop call (and by the
/// test's own deadline); it only ever talks to loopback.
/// </summary>
internal sealed class ProbeLoad : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _loops;

    /// <param name="baseAddress">The service.</param>
    /// <param name="paths">One loop per path.</param>
    /// <param name="bearer">A bearer token to send (for the details endpoint), or none.</param>
    public ProbeLoad(Uri baseAddress, string[] paths, string? bearer = null)
    {
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            _client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        _loops = paths.Select(path => Task.Run(() => LoopAsync(path))).ToArray();
    }

    public readonly record struct Sample(string Path, TimeSpan At, int Status, string? Error);

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<Sample> Samples => [.. _samples];

    /// <summary>Waits (bounded) until a request to <paramref name="path"/> sent after <paramref name="since"/> answered <paramref name="status"/>; returns when.</summary>
    public async Task<TimeSpan> WaitForAsync(string path, int status, TimeSpan since, TimeSpan? bound = null)
    {
        TimeSpan giveUp = Now + (bound ?? TimeSpan.FromSeconds(60));
        while (Now < giveUp)
        {
            Sample? hit = _samples.Where(s => s.Path == path && s.At >= since && s.Status == status).Select(s => (Sample?)s).FirstOrDefault();
            if (hit is { } sample)
            {
                return sample.At;
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException($"{path} never answered {status} after {since.TotalSeconds:0.00} s; last answers: {string.Join(", ", _samples.Where(s => s.Path == path).TakeLast(5).Select(s => s.Status))}");
    }

    private int _disposed;

    /// <summary>Stops probing; safe to call more than once (tests stop early to freeze the samples).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync(string path)
    {
        while (!_stop.IsCancellationRequested)
        {
            TimeSpan at = Now;
            try
            {
                using HttpResponseMessage response = await _client.GetAsync(path, _stop.Token);
                await response.Content.ReadAsStringAsync(_stop.Token);
                _samples.Enqueue(new Sample(path, at, (int)response.StatusCode, null));
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                _samples.Enqueue(new Sample(path, at, 0, exception.GetType().Name + ": " + exception.Message));
            }

            try
            {
                await Task.Delay(25, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
