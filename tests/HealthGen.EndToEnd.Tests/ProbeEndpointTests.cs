using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// Every probe endpoint over real HTTP, with the status codes and exact bodies of docs/probes.md, for
/// healthy, failing, throwing, false-returning, hanging and degraded checks.
/// </summary>
public sealed class ProbeEndpointTests
{
    private const string ReadyBody = """{"status":"ready","cache":"OK","database":"OK","library_store":"OK"}""";

    [Fact]
    public async Task All_healthy_every_endpoint_answers_200_with_its_documented_body()
    {
        await using ProbeHost host = await ProbeHost.StartAsync();

        await AssertReply(host, "/healthz", HttpStatusCode.OK, ReadyBody);
        await AssertReply(host, "/healthz/livez", HttpStatusCode.OK, """{"status":"OK"}""");
        await AssertReply(host, "/healthz/readyz", HttpStatusCode.OK, ReadyBody);
        await AssertReply(host, "/healthz/startupz", HttpStatusCode.OK, """{"status":"started"}""");
        await AssertReply(host, "/healthz/resolversz", HttpStatusCode.OK,
            """{"status":"ready","ldapresolver":{"ldapresolver1":"OK"},"sqlresolver":{"sqlresolver1":"OK"}}""");
    }

    [Fact]
    public async Task Responses_are_uncacheable_utf8_json()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["database"] = Behavior.Unhealthy);
        foreach (string path in new[] { "/healthz", "/healthz/livez", "/healthz/readyz", "/healthz/startupz", "/healthz/resolversz", "/healthz/readyz/database" })
        {
            ProbeReply reply = await host.GetAsync(path);
            Assert.Equal("application/json; charset=utf-8", reply.ContentType);
            Assert.Equal("no-store", reply.CacheControl);
        }
    }

    [Theory]
    [InlineData(Behavior.Unhealthy)]
    [InlineData(Behavior.Throw)]
    [InlineData(Behavior.ThrowHealthCheckException)]
    public async Task A_failing_readiness_check_makes_readyz_503_and_leaves_livez_200(Behavior behavior)
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["database"] = behavior);

        const string notReady = """{"status":"not ready","cache":"OK","database":"fail","library_store":"OK"}""";
        await AssertReply(host, "/healthz/readyz", HttpStatusCode.ServiceUnavailable, notReady);
        await AssertReply(host, "/healthz", HttpStatusCode.ServiceUnavailable, notReady);
        await AssertReply(host, "/healthz/livez", HttpStatusCode.OK, """{"status":"OK"}""");
        await AssertReply(host, "/healthz/startupz", HttpStatusCode.OK, """{"status":"started"}""");
    }

    [Fact]
    public async Task A_check_that_returns_false_fails()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["cache"] = Behavior.ReturnFalse);
        await AssertReply(host, "/healthz/readyz", HttpStatusCode.ServiceUnavailable,
            """{"status":"not ready","cache":"fail","database":"OK","library_store":"OK"}""");
    }

    [Fact]
    public async Task A_check_in_a_referenced_library_is_served_and_can_fail()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["library_store"] = Behavior.ReturnFalse);
        await AssertReply(host, "/healthz/readyz", HttpStatusCode.ServiceUnavailable,
            """{"status":"not ready","cache":"OK","database":"OK","library_store":"fail"}""");
        await AssertReply(host, "/healthz/readyz/library_store", HttpStatusCode.ServiceUnavailable, """{"status":"fail"}""");
    }

    [Fact]
    public async Task A_hanging_check_that_ignores_its_token_times_out_and_the_probe_still_answers()
    {
        // 300 ms default timeout; the check blocks a thread until the test ends. No assertion on time:
        // the probe answering at all (rather than hanging until the client gives up) is the point.
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["database"] = Behavior.Hang, defaultTimeoutMs: 300);

        await AssertReply(host, "/healthz/readyz", HttpStatusCode.ServiceUnavailable,
            """{"status":"not ready","cache":"OK","database":"fail","library_store":"OK"}""");
        await AssertReply(host, "/healthz/livez", HttpStatusCode.OK, """{"status":"OK"}""");
    }

    [Fact]
    public async Task Degraded_checks_pass_and_say_degraded()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s =>
        {
            s["database"] = Behavior.Degraded;
            s["heartbeat"] = Behavior.Degraded;
        });

        await AssertReply(host, "/healthz/readyz", HttpStatusCode.OK,
            """{"status":"ready","cache":"OK","database":"degraded","library_store":"OK"}""");
        await AssertReply(host, "/healthz/livez", HttpStatusCode.OK, """{"status":"OK","heartbeat":"degraded"}""");
    }

    [Fact]
    public async Task A_failing_liveness_check_fails_livez_and_the_overall_probe_with_the_liveness_body()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["heartbeat"] = Behavior.Throw);

        await AssertReply(host, "/healthz/livez", HttpStatusCode.ServiceUnavailable, """{"status":"fail","heartbeat":"fail"}""");
        await AssertReply(host, "/healthz", HttpStatusCode.ServiceUnavailable, """{"status":"fail","heartbeat":"fail"}""");
        await AssertReply(host, "/healthz/readyz", HttpStatusCode.OK, ReadyBody); // readiness does not include liveness
    }

    [Fact]
    public async Task Startup_is_503_until_every_startup_check_passed_once_then_latched()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["migrations"] = Behavior.ReturnFalse);

        await AssertReply(host, "/healthz/startupz", HttpStatusCode.ServiceUnavailable, """{"status":"not started"}""");
        // Not started: readiness lists its checks as unchecked and runs none of them.
        await AssertReply(host, "/healthz/readyz", HttpStatusCode.ServiceUnavailable,
            """{"status":"not ready","cache":"unchecked","database":"unchecked","library_store":"unchecked"}""");
        Assert.Equal(0, host.Scenario.Invocations("database"));
        await AssertReply(host, "/healthz/livez", HttpStatusCode.OK, """{"status":"OK"}""");

        host.Scenario["migrations"] = Behavior.Healthy;
        await AssertReply(host, "/healthz/startupz", HttpStatusCode.OK, """{"status":"started"}""");
        await AssertReply(host, "/healthz/readyz", HttpStatusCode.OK, ReadyBody);

        int runs = host.Scenario.Invocations("migrations");
        host.Scenario["migrations"] = Behavior.ReturnFalse;
        await AssertReply(host, "/healthz/startupz", HttpStatusCode.OK, """{"status":"started"}""");
        Assert.Equal(runs, host.Scenario.Invocations("migrations")); // latched: not run again
    }

    [Fact]
    public async Task A_failing_resolver_fails_resolversz_in_its_group_only()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["sqlresolver1"] = Behavior.Unhealthy);

        await AssertReply(host, "/healthz/resolversz", HttpStatusCode.ServiceUnavailable,
            """{"status":"not ready","ldapresolver":{"ldapresolver1":"OK"},"sqlresolver":{"sqlresolver1":"fail"}}""");
        await AssertReply(host, "/healthz/readyz", HttpStatusCode.OK, ReadyBody); // resolvers are their own probe
    }

    [Fact]
    public async Task Single_checks_answer_on_their_own_paths_and_unknown_ones_are_404()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["cache"] = Behavior.Unhealthy);

        await AssertReply(host, "/healthz/readyz/database", HttpStatusCode.OK, """{"status":"OK"}""");
        await AssertReply(host, "/healthz/readyz/cache", HttpStatusCode.ServiceUnavailable, """{"status":"fail"}""");
        await AssertReply(host, "/healthz/livez/heartbeat", HttpStatusCode.OK, """{"status":"OK"}""");
        await AssertReply(host, "/healthz/startupz/migrations", HttpStatusCode.OK, """{"status":"OK"}""");
        await AssertReply(host, "/healthz/resolversz/ldapresolver/ldapresolver1", HttpStatusCode.OK, """{"status":"OK"}""");

        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/healthz/readyz/unknown")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/healthz/livez/database")).Status); // a readiness check is not a liveness check
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/healthz/resolversz/sqlresolver/ldapresolver1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/healthz/details")).Status);
    }

    [Fact]
    public async Task Head_answers_like_get_without_a_body_and_other_methods_get_405()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["database"] = Behavior.Unhealthy);

        ProbeReply head = await host.SendAsync(HttpMethod.Head, "/healthz/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, head.Status);
        Assert.Equal("", head.Body);
        Assert.Equal((HttpStatusCode.OK, ""), ((await host.SendAsync(HttpMethod.Head, "/healthz/livez")).Status, (await host.SendAsync(HttpMethod.Head, "/healthz/livez")).Body));

        foreach (HttpMethod method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options })
        {
            ProbeReply reply = await host.SendAsync(method, "/healthz/livez");
            Assert.Equal(HttpStatusCode.MethodNotAllowed, reply.Status);
            Assert.Equal("GET, HEAD", reply.Allow);
        }

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await host.SendAsync(HttpMethod.Post, "/healthz/readyz/database")).Status);
    }

    [Fact]
    public async Task A_custom_prefix_moves_every_probe()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(prefix: "/_healthz/");

        await AssertReply(host, "/_healthz/livez", HttpStatusCode.OK, """{"status":"OK"}""");
        await AssertReply(host, "/_healthz", HttpStatusCode.OK, ReadyBody);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/healthz/livez")).Status);
    }

    [Fact]
    public async Task Disabled_checks_are_not_run_listed_or_served()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(
            s => s["database"] = Behavior.Unhealthy,
            configure: o => { o.DisabledChecks.Add("readyz/database"); o.DisabledChecks.Add("resolversz/sqlresolver/sqlresolver1"); });

        await AssertReply(host, "/healthz/readyz", HttpStatusCode.OK, """{"status":"ready","cache":"OK","library_store":"OK"}""");
        await AssertReply(host, "/healthz/resolversz", HttpStatusCode.OK, """{"status":"ready","ldapresolver":{"ldapresolver1":"OK"}}""");
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/healthz/readyz/database")).Status);
        Assert.Equal(0, host.Scenario.Invocations("database"));
    }

    [Fact]
    public async Task A_disabled_path_naming_no_check_stops_the_application_at_startup()
    {
        var exception = await Assert.ThrowsAsync<System.InvalidOperationException>(
            () => ProbeHost.StartAsync(configure: o => o.DisabledChecks.Add("readyz/databse")));
        Assert.Contains("readyz/databse", exception.Message);
    }

    [Fact]
    public async Task No_body_ever_shows_error_text_exception_types_or_secrets()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s =>
        {
            s["heartbeat"] = Behavior.Throw;
            s["database"] = Behavior.ThrowHealthCheckException;
            s["cache"] = Behavior.Unhealthy;
            s["ldapresolver1"] = Behavior.Degraded;
            s["sqlresolver1"] = Behavior.Throw;
        });

        foreach (string path in new[] { "/healthz", "/healthz/livez", "/healthz/readyz", "/healthz/startupz", "/healthz/resolversz",
                     "/healthz/livez/heartbeat", "/healthz/readyz/database", "/healthz/readyz/cache", "/healthz/resolversz/sqlresolver/sqlresolver1" })
        {
            ProbeReply reply = await host.GetAsync(path);
            Assert.NotEqual(HttpStatusCode.InternalServerError, reply.Status);
            foreach (string leak in new[] { "hunter2", "db.internal", "Password", "Exception", "exploded", "refused", " at ", "is down", "is slow" })
            {
                Assert.False(reply.Body.Contains(leak, System.StringComparison.OrdinalIgnoreCase), $"{path} leaked '{leak}': {reply.Body}");
            }
        }
    }

    private static async Task AssertReply(ProbeHost host, string path, HttpStatusCode status, string body)
    {
        ProbeReply reply = await host.GetAsync(path);
        Assert.True(reply.Status == status && reply.Body == body, $"GET {path}: expected {(int)status} {body}, got {(int)reply.Status} {reply.Body}");
    }
}
