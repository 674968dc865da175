using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HealthGen.Reliability;

/// <summary>A check that ignores its token and blocks a thread, under a storm of 500 concurrent readiness probes.</summary>
public sealed class StarvationTests
{
    [Fact]
    public async Task Five_hundred_concurrent_readyz_against_a_hung_check_answer_503_and_starve_nothing()
    {
        await using LoopbackWebHost host = await ReliabilityHost.StartAsync(["livez/process", "readyz/hung"], configure: o => o.ReadinessCacheMs = 0);
        HangSwitch hang = host.Services.GetRequiredService<HangSwitch>();
        int threadsBefore = ThreadPool.ThreadCount;

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = host.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Task<HttpResponseMessage>[] storm = Enumerable.Range(0, 500).Select(_ => client.GetAsync("/healthz/readyz")).ToArray();
        int[] liveness = new int[20];
        for (int i = 0; i < liveness.Length; i++)
        {
            liveness[i] = (int)(await host.Client.GetAsync("/healthz/livez")).StatusCode; // answered during the storm
        }

        HttpResponseMessage[] answers = await Task.WhenAll(storm);
        int threadsDuring = ThreadPool.ThreadCount;

        Assert.All(answers, a => Assert.Equal(503, (int)a.StatusCode));
        Assert.All(liveness, status => Assert.Equal(200, status));
        Assert.Equal(1, hang.Entered); // one execution went into the hung check; everyone else got "still hung" at once
        Assert.True(threadsDuring - threadsBefore <= 32, $"the thread pool grew from {threadsBefore} to {threadsDuring} threads");

        hang.Release();
        for (int i = 0; i < 500 && hang.Inside > 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, hang.Inside); // the abandoned execution ended: nothing left running
        HttpResponseMessage after = await host.Client.GetAsync("/healthz/readyz");
        for (int i = 0; i < 100 && (int)after.StatusCode != 200; i++)
        {
            await Task.Delay(20);
            after = await host.Client.GetAsync("/healthz/readyz");
        }

        Assert.Equal(200, (int)after.StatusCode);
        Figures.Record("500 concurrent readyz, hung check", $"500/500 answered 503, livez 200 in 20/20 during the storm, 1 thread entered the hung check, thread pool {threadsBefore} → {threadsDuring} threads, 0 executions running after release");
        foreach (HttpResponseMessage answer in answers)
        {
            answer.Dispose();
        }
    }
}
