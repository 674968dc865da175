using System;
using System.Linq;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Execution;
using HealthGen.Serialization;
using HealthGen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HealthGen.Tests;

/// <summary>
/// Inline checks (static, synchronous, no parameters): called on the request's thread, still single flight,
/// still bounded by their timeout for everyone but the request running them — and nothing on the heap.
/// </summary>
public sealed class InlineCheckTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly ServiceProvider _services;
    private int _executions;

    public InlineCheckTests()
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(_clock);
        collection.AddHealthGen(options => options.DefaultTimeoutMs = 1_000);
        _services = collection.BuildServiceProvider();
    }

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

        ValueTask<CheckResult> result = slot.GetResultAsync(CancellationToken.None);

        Assert.Equal(HealthStatus.Healthy, Completed(result).Status);
        Assert.Equal(callerThread, checkThread);
    }

    [Fact]
    public async Task An_isolated_check_does_not_run_on_the_calling_thread()
    {
        int callerThread = Environment.CurrentManagedThreadId;
        int checkThread = callerThread;
        var registration = new HealthCheckRegistration("check", ProbeKind.Readiness, null, -1, -1, (_, _) =>
        {
            checkThread = Environment.CurrentManagedThreadId;
            return new ValueTask<HealthResult>(HealthResult.Healthy());
        });
        var slot = new CheckSlot(registration, _services.GetRequiredService<CheckExecutor>(), _clock, TimeSpan.Zero);

        Assert.Equal(HealthStatus.Healthy, (await slot.GetResultAsync(CancellationToken.None)).Status);
        Assert.NotEqual(callerThread, checkThread);
    }

    [Fact]
    public void A_result_that_took_longer_than_the_timeout_counts_as_timed_out()
    {
        CheckSlot slot = Slot((_, _) =>
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1_500)); // the check is slow (on the manual clock)
            return new ValueTask<HealthResult>(HealthResult.Healthy());
        });

        CheckResult result = Completed(slot.GetResultAsync(CancellationToken.None));

        Assert.Equal((HealthStatus.Unhealthy, CheckFailure.TimedOut), (result.Status, result.Failure));
        Assert.Contains("1000 ms", result.Result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_throwing_inline_check_fails_with_its_exception()
    {
        CheckSlot slot = Slot((_, _) => throw new HealthCheckException("queue stalled"));

        CheckResult result = Completed(slot.GetResultAsync(CancellationToken.None));

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

        Task<CheckResult> running = Task.Run(() => slot.GetResultAsync(CancellationToken.None).AsTask());
        Assert.True(entered.Wait(TimeSpan.FromSeconds(60)));
        Task<CheckResult>[] joined = [slot.GetResultAsync(CancellationToken.None).AsTask(), slot.GetResultAsync(CancellationToken.None).AsTask()];
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

        Task<CheckResult> running = Task.Run(() => slot.GetResultAsync(CancellationToken.None).AsTask());
        Assert.True(entered.Wait(TimeSpan.FromSeconds(60)));
        Task<CheckResult> joined = slot.GetResultAsync(CancellationToken.None).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(1_000));

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
                statuses[i] = (await slot.GetResultAsync(CancellationToken.None)).Status; // a lost wake-up would hang here
            }

            return statuses;
        })).ToArray();

        HealthStatus[][] all = await Task.WhenAll(requesters).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.All(all.SelectMany(statuses => statuses), status => Assert.Equal(HealthStatus.Healthy, status));
        Assert.InRange(_executions, 1, 16_000);
        int before = _executions;
        await slot.GetResultAsync(CancellationToken.None);
        Assert.Equal(before + 1, _executions); // the claim was given back: a new request runs the check again
    }

    /// <summary>
    /// The promise behind the liveness benchmark: running inline checks and cache hits and writing the body
    /// allocates nothing, for the steady answer (plain query, all healthy) and for a collected one (verbose: the
    /// reports come from the pool and go back). Bytes are counted, not time.
    /// </summary>
    [Theory]
    [InlineData(false, """{"status":"ready","process":"OK","threads":"OK","queue":"OK"}""")]
    [InlineData(true, """{"status":"ready","process":"OK","threads":"OK","queue":"OK","checks":{""")]
    public async Task Running_inline_checks_and_cache_hits_and_writing_the_body_allocates_nothing(bool verbose, string bodyStart)
    {
        var executor = _services.GetRequiredService<CheckExecutor>();
        CheckSlot[] slots =
        [
            Slot((_, _) => new ValueTask<HealthResult>(HealthResult.Healthy()), name: "process"),
            Slot((_, _) => new ValueTask<HealthResult>(HealthResult.Healthy()), name: "threads"),
            new CheckSlot(new HealthCheckRegistration("queue", ProbeKind.Readiness, null, -1, -1, (_, _) => new ValueTask<HealthResult>(HealthResult.Healthy())),
                executor, _clock, TimeSpan.FromHours(1)), // isolated, but answered from the cache after the first run
        ];
        JsonTypeInfo<ProbeResponse> type = JsonMetadataServices.CreateValueInfo<ProbeResponse>(new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine() }, new ProbeResponseJsonConverter());
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer);
        await slots[2].GetResultAsync(CancellationToken.None); // fill the cache
        var checks = new ProbeChecks(slots);
        var query = new ProbeQuery(verbose, Excluded: null);

        void Probe()
        {
            CheckReports reports = Completed(ProbeRunner.RunAsync(checks, query, CancellationToken.None));
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            JsonSerializer.Serialize(writer, new ProbeResponse(ProbeWords.Ready, reports, ResponseLayout.AllChecks, verbose), type);
            reports.Return();
        }

        for (int i = 0; i < 10; i++)
        {
            Probe(); // warm up: pools, JIT tiers
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            Probe();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith(bodyStart, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
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
        => new(new HealthCheckRegistration(name, ProbeKind.Liveness, null, -1, -1, invoke, CheckInvocation.Inline),
            _services.GetRequiredService<CheckExecutor>(), _clock, TimeSpan.Zero);
}
