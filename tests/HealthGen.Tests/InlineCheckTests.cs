using System;
using System.Linq;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Probes;
using HealthGen.Serialization;

namespace HealthGen.Tests;

/// <summary>
/// Inline checks (static, synchronous, no parameters): called on the request's thread, still single flight,
/// still bounded by their timeout for everyone but the request running them — and nothing on the heap.
/// </summary>
public sealed class InlineCheckTests : IDisposable
{
    private readonly TestServices _services = new(defaultTimeoutMs: 1_000);
    private int _executions;

    [Fact]
    public void An_inline_check_runs_on_the_calling_thread_and_answers_synchronously()
    {
        int callerThread = Environment.CurrentManagedThreadId;
        int checkThread = -1;
        CheckSlot slot = Slot((_, _) =>
        {
            checkThread = Environment.CurrentManagedThreadId;
            return new ValueTask<HealthResult>(HealthResult.Healthy());
        });

        ValueTask<CheckResult> result = slot.GetResultAsync();

        Assert.Equal(HealthStatus.Healthy, Completed(result).Status);
        Assert.Equal(callerThread, checkThread);
    }

    [Fact]
    public async Task An_isolated_check_does_not_run_on_the_calling_thread()
    {
        using var release = new ManualResetEventSlim();
        CheckSlot slot = _services.Slot((_, _) => new ValueTask<HealthResult>(
            release.Wait(TimeSpan.FromSeconds(30)) ? HealthResult.Healthy() : HealthResult.Unhealthy("it ran on the caller's thread, which waited for it")));

        ValueTask<CheckResult> pending = slot.GetResultAsync(); // returns at once although the check blocks
        Assert.False(pending.IsCompleted);
        release.Set();

        Assert.Equal(HealthStatus.Healthy, (await pending).Status);
    }

    [Fact]
    public void A_result_that_took_longer_than_the_timeout_counts_as_timed_out()
    {
        CheckSlot slot = Slot((_, _) =>
        {
            _services.Clock.Advance(TimeSpan.FromMilliseconds(1_500)); // the check is slow (on the manual clock)
            return new ValueTask<HealthResult>(HealthResult.Healthy());
        });

        CheckResult result = Completed(slot.GetResultAsync());

        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.TimedOut), (result.Status, result.Failure));
        Assert.Contains("1000 ms", result.Result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_throwing_inline_check_fails_with_its_exception()
    {
        CheckSlot slot = Slot((_, _) => throw new HealthCheckException("queue stalled"));

        CheckResult result = Completed(slot.GetResultAsync());

        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.Threw), (result.Status, result.Failure));
        Assert.Equal("queue stalled", result.Result.Description);
    }

    [Fact]
    public async Task Requests_that_arrive_during_an_inline_execution_share_it()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        CheckSlot slot = Slot((_, _) =>
        {
            Interlocked.Increment(ref _executions);
            entered.Set();
            release.Wait();
            return new ValueTask<HealthResult>(HealthResult.Degraded("busy"));
        });

        Task<CheckResult> running = Task.Run(() => slot.GetResultAsync().AsTask());
        Assert.True(entered.Wait(TimeSpan.FromSeconds(60)));
        Task<CheckResult>[] joined = [slot.GetResultAsync().AsTask(), slot.GetResultAsync().AsTask()];
        Assert.All(joined, j => Assert.False(j.IsCompleted));

        release.Set();
        CheckResult[] results = await Task.WhenAll([running, .. joined]);

        Assert.All(results, r => Assert.Equal(HealthStatus.Degraded, r.Status));
        Assert.Equal(1, _executions);
    }

    [Fact]
    public async Task A_request_that_joins_a_hung_inline_execution_answers_at_the_timeout()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        CheckSlot slot = Slot((_, _) =>
        {
            Interlocked.Increment(ref _executions);
            entered.Set();
            release.Wait(); // ignores everything, like a stuck call
            return new ValueTask<HealthResult>(HealthResult.Healthy());
        });

        Task<CheckResult> running = Task.Run(() => slot.GetResultAsync().AsTask());
        Assert.True(entered.Wait(TimeSpan.FromSeconds(60)));
        Task<CheckResult> joined = slot.GetResultAsync().AsTask();
        _services.Clock.Advance(TimeSpan.FromMilliseconds(1_000));

        CheckResult late = await joined.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.TimedOut), (late.Status, late.Failure));
        Assert.False(running.IsCompleted);

        release.Set();
        await running.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, _executions);
    }

    [Fact]
    public async Task Concurrent_requests_on_an_inline_check_all_get_an_answer()
    {
        CheckSlot slot = Slot((_, _) =>
        {
            Interlocked.Increment(ref _executions);
            Thread.SpinWait(200); // long enough for other requests to arrive and join
            return new ValueTask<HealthResult>(HealthResult.Healthy());
        });

        Task<HealthStatus[]>[] requesters = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var statuses = new HealthStatus[2_000];
            for (int i = 0; i < statuses.Length; i++)
            {
                statuses[i] = (await slot.GetResultAsync()).Status; // a lost wake-up would hang here
            }

            return statuses;
        })).ToArray();

        HealthStatus[][] all = await Task.WhenAll(requesters).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.All(all.SelectMany(statuses => statuses), status => Assert.Equal(HealthStatus.Healthy, status));
        Assert.InRange(_executions, 1, 16_000);
        int before = _executions;
        await slot.GetResultAsync();
        Assert.Equal(before + 1, _executions); // the claim was given back: a new request runs the check again
    }

    /// <summary>
    /// The promise behind the liveness and cache-hit benchmarks: a plain probe whose checks are inline or cached and
    /// healthy answers its steady answer without allocating anything. Bytes are counted, not time.
    /// </summary>
    [Fact]
    public async Task Running_inline_checks_and_cache_hits_for_the_steady_answer_allocates_nothing()
    {
        CheckSlot[] slots =
        [
            Slot((_, _) => new ValueTask<HealthResult>(HealthResult.Healthy()), name: "process"),
            Slot((_, _) => new ValueTask<HealthResult>(HealthResult.Healthy()), name: "threads"),
            _services.Slot((_, _) => new ValueTask<HealthResult>(HealthResult.Healthy()), cacheMs: 3_600_000, name: "queue"), // isolated, answered from the cache after the first run
        ];
        await slots[2].GetResultAsync(); // fill the cache
        var checks = new ProbeChecks(slots);

        bool Probe()
        {
            ValueTask<CheckReport[]?> run = ProbeRunner.RunAsync(checks, ProbeQuery.None, CancellationToken.None);
            return run.IsCompletedSuccessfully && run.Result is null; // at once, and the steady answer
        }

        for (int i = 0; i < 10; i++)
        {
            Assert.True(Probe()); // warm up: JIT tiers
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool allSteady = true;
        for (int i = 0; i < 1_000; i++)
        {
            allSteady &= Probe();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allSteady);
        Assert.Equal(0, allocated);
    }

    /// <summary>Writing a probe body through the generated-style metadata and the reused writer allocates nothing either.</summary>
    [Fact]
    public void Writing_a_body_allocates_nothing()
    {
        JsonTypeInfo<ProbeResponse> type = JsonMetadataServices.CreateValueInfo<ProbeResponse>(new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine() }, new ProbeResponseJsonConverter());
        var checks = new ProbeChecks([Slot((_, _) => new ValueTask<HealthResult>(HealthResult.Healthy()), name: "process")]);
        var body = new ProbeResponse(ProbeWords.Ready, checks.AllHealthy, ResponseLayout.AllChecks, verbose: true);
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer);

        void Write()
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            JsonSerializer.Serialize(writer, body, type);
        }

        for (int i = 0; i < 10; i++)
        {
            Write();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            Write();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("""{"status":"ready","process":"OK","checks":{"process":{"status":"OK","response_time":0,"cached":false}}}""", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(0, allocated);
    }

    public void Dispose() => _services.Dispose();

    /// <summary>The value of a task that must have completed synchronously.</summary>
    private static T Completed<T>(ValueTask<T> task)
    {
        Assert.True(task.IsCompletedSuccessfully, "expected a synchronous answer");
        return task.GetAwaiter().GetResult();
    }

    private CheckSlot Slot(Func<IServiceProvider, CancellationToken, ValueTask<HealthResult>> invoke, string name = "check")
        => _services.Slot(invoke, name: name, invocation: CheckInvocation.Inline, probe: ProbeKind.Liveness);
}
