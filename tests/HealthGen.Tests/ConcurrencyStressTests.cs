using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Probes;
using Microsoft.Extensions.Time.Testing;
using static HealthGen.Testing.Eventually;

namespace HealthGen.Tests;

/// <summary>
/// Real threads against the execution core while another thread moves the clock: requests across cache expiry,
/// timeouts (checks that ignore their token and hold a thread), failures, recoveries and requests that go away.
/// Everything asserted is a count; the one time bound only turns a hang into a failure.
/// </summary>
public sealed class ConcurrencyStressTests : IDisposable
{
    private const int CacheMs = 20;
    private const int TimeoutMs = 10;
    private const int Workers = 8;
    private const int RequestsPerWorker = 2_000;
    private const int MinimumExecutions = 30;

    private readonly TestServices _services = new(defaultTimeoutMs: TimeoutMs);

    [Fact]
    public async Task Every_request_gets_one_recorded_result_and_no_check_runs_twice_at_once_or_twice_per_cache_window()
    {
        var isolated = new StressedCheck(_services.Clock);
        var inline = new StressedCheck(_services.Clock);
        var uncached = new StressedCheck(_services.Clock);
        CheckSlot[] slots =
        [
            _services.Slot(inline.InvokeInline, cacheMs: CacheMs, name: "inline", invocation: CheckInvocation.Inline),
            _services.Slot(isolated.InvokeAsync, cacheMs: CacheMs, name: "isolated"),
            _services.Slot(uncached.InvokeAsync, cacheMs: 0, name: "uncached"),
        ];
        StressedCheck[] checks = [inline, isolated, uncached];
        var recorded = slots.Select(slot => Record(slot)).ToArray();
        var probe = new ProbeChecks(slots);

        // The clock and the workers are threads of their own, so neither waits for the thread pool that the checks,
        // their timeouts and the continuations run on (and that hung checks take threads from).
        long elapsedMs = 0;
        bool workersDone = false;
        var clock = new Thread(() =>
        {
            while (!Volatile.Read(ref workersDone))
            {
                _services.Clock.Advance(TimeSpan.FromMilliseconds(1));
                if (Interlocked.Increment(ref elapsedMs) % 50 == 0)
                {
                    isolated.ReleaseHung();
                    uncached.ReleaseHung();
                }

                Thread.Sleep(1); // about a real millisecond per millisecond of the clock: the machine's threads keep up with it
            }
        });
        var received = new List<(int Slot, CheckResult Result)>[Workers];
        // The clock runs in real time whatever the thread pool gets done meanwhile (with other tests in parallel, a run of
        // 2,000 ms saw the isolated check start only 5 executions), so the workers go on until every check has run enough.
        bool Exercised() => checks.All(check => check.Executions >= MinimumExecutions);
        Thread[] workers = [.. Enumerable.Range(0, Workers).Select(seed => new Thread(() => received[seed] = Work(seed, slots, probe, () => Volatile.Read(ref elapsedMs), Exercised)))];
        clock.Start();
        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        foreach (Thread worker in workers)
        {
            Assert.True(worker.Join(TimeSpan.FromMinutes(5)), "a worker never finished: a request hangs");
        }

        Volatile.Write(ref workersDone, true);
        clock.Join();

        // No thread left blocked: once the hung checks are let go, nothing runs and nothing is abandoned.
        foreach (StressedCheck check in checks)
        {
            check.ReleaseAll();
        }

        await WaitUntil(() => checks.All(c => c.Running == 0) && slots.All(s => s.StillRunning == 0));
        List<(int Slot, CheckResult Result)> all = [.. received.SelectMany(r => r)];

        for (int i = 0; i < slots.Length; i++)
        {
            StressedCheck check = checks[i];
            List<(HealthStatus? Previous, CheckResult Result)> ended = [.. recorded[i]];
            Assert.Equal(1, check.MaxRunning); // single flight, hung executions included
            Assert.Equal(check.Executions, ended.Count); // each execution recorded once: none lost, none doubled
            Assert.Single(ended, e => e.Previous is null); // one first result; every other knew the one before it
            string[] own = [.. ended.Select(e => e.Result.Result.Description!).Where(d => d.StartsWith("execution ", StringComparison.Ordinal))];
            Assert.Equal(own.Length, own.Distinct().Count());
            Assert.All(all.Where(r => r.Slot == i).Select(r => r.Result.Result.Description!),
                description => Assert.True(!description.StartsWith("execution ", StringComparison.Ordinal) || own.Contains(description), description));
            Assert.True(check.Executions >= MinimumExecutions, $"{slots[i].Check.Name}: only {check.Executions} executions"); // the run exercised it
        }

        // One execution per cache window: executions are sequential and the next starts only once the last result is stale.
        long windows = Volatile.Read(ref elapsedMs) / CacheMs + 1;
        Assert.InRange(inline.Executions, 1, windows);
        Assert.InRange(isolated.Executions, 1, windows);
        Assert.Contains(all, r => r.Result.Failure == CheckFailure.TimedOut); // timeouts happened
        Assert.Contains(all, r => r.Result.Status == HealthStatus.Unhealthy && r.Result.Failure == CheckFailure.Reported);
    }

    public void Dispose() => _services.Dispose();

    /// <summary>
    /// One worker's requests, each on a later millisecond of the clock than the one before (so the run spans many cache
    /// windows), each waited for on this thread: at least <see cref="RequestsPerWorker"/>, and on until
    /// <paramref name="exercised"/>.
    /// </summary>
    private static List<(int Slot, CheckResult Result)> Work(int seed, CheckSlot[] slots, ProbeChecks probe, Func<long> now, Func<bool> exercised)
    {
        var random = new Random(seed);
        var received = new List<(int, CheckResult)>();
        for (int n = 0; n < RequestsPerWorker || !exercised(); n++)
        {
            long last = now();
            SpinWait.SpinUntil(() => now() != last);

            int choice = random.Next(10);
            if (choice < 4)
            {
                int slot = random.Next(slots.Length);
                received.Add((slot, slots[slot].GetResultAsync().AsTask().GetAwaiter().GetResult()));
                continue;
            }

            using var abort = new CancellationTokenSource();
            ProbeQuery query = choice < 7 ? ProbeQuery.None : ProbeQuery.EveryResult;
            ValueTask<CheckReport[]?> run = ProbeRunner.RunAsync(probe, query, abort.Token);
            if (choice == 9)
            {
                abort.Cancel(); // the request goes away
            }

            try
            {
                CheckReport[]? reports = run.AsTask().GetAwaiter().GetResult();
                for (int i = 0; reports is not null && i < reports.Length; i++)
                {
                    if (query == ProbeQuery.EveryResult)
                    {
                        received.Add((i, reports[i].Result));
                    }
                }
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                // It stopped waiting; the executions it shared go on.
            }
        }

        return received;
    }

    private static ConcurrentQueue<(HealthStatus? Previous, CheckResult Result)> Record(CheckSlot slot)
    {
        var ended = new ConcurrentQueue<(HealthStatus?, CheckResult)>();
        slot.Completed += (CheckSlot _, in CheckResult result, HealthStatus? previous) => ended.Enqueue((previous, result));
        return ended;
    }

    /// <summary>
    /// A check that counts its executions and how many run at once. Its Nth execution fails when N is a multiple of 3
    /// (so it fails and recovers), yields when N % 6 == 1, and when N % 6 == 0 holds its thread, ignoring its token,
    /// until it is released (an isolated one) or the clock has passed its timeout (an inline one: it times out late).
    /// </summary>
    private sealed class StressedCheck(FakeTimeProvider clock)
    {
        private readonly SemaphoreSlim _hung = new(0);
        private int _executions;
        private int _running;
        private int _maxRunning;
        private volatile bool _released;

        public int Executions => Volatile.Read(ref _executions);

        public int Running => Volatile.Read(ref _running);

        public int MaxRunning => Volatile.Read(ref _maxRunning);

        public async ValueTask<HealthResult> InvokeAsync(IServiceProvider services, CancellationToken cancellationToken)
        {
            int n = Enter();
            try
            {
                if (n % 6 == 0 && !_released)
                {
                    _hung.Wait(CancellationToken.None);
                }
                else if (n % 6 == 1)
                {
                    await Task.Yield();
                }

                return ResultOf(n);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        public ValueTask<HealthResult> InvokeInline(IServiceProvider services, CancellationToken cancellationToken)
        {
            int n = Enter();
            try
            {
                if (n % 6 == 0)
                {
                    DateTimeOffset late = clock.GetUtcNow().AddMilliseconds(TimeoutMs + 1);
                    SpinWait.SpinUntil(() => clock.GetUtcNow() >= late || _released);
                }

                return new ValueTask<HealthResult>(ResultOf(n));
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        public void ReleaseHung()
        {
            if (_hung.CurrentCount == 0)
            {
                _hung.Release();
            }
        }

        public void ReleaseAll()
        {
            _released = true;
            _hung.Release(Workers * RequestsPerWorker);
        }

        private int Enter()
        {
            int running = Interlocked.Increment(ref _running);
            int max;
            while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
            {
            }

            return Interlocked.Increment(ref _executions);
        }

        private static HealthResult ResultOf(int n)
            => n % 3 == 0 ? HealthResult.Unhealthy("execution " + n) : HealthResult.Healthy("execution " + n);
    }
}
