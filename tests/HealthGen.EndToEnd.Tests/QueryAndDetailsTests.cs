using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using HealthGen.EndToEnd.CheckLibrary;

namespace HealthGen.EndToEnd.Tests;

/// <summary>Kubernetes-style query options and the token-protected details endpoint, over real HTTP.</summary>
public sealed class QueryAndDetailsTests
{
    private const string Token = "details-Token-5b1e0c";

    [Fact]
    public async Task Verbose_adds_status_response_time_and_cached_per_check()
    {
        await using ProbeHost host = await ProbeHost.StartAsync();

        ProbeReply first = await host.GetAsync("/healthz/readyz?verbose");
        ProbeReply second = await host.GetAsync("/healthz/readyz?verbose=true");

        using JsonDocument json = JsonDocument.Parse(first.Body);
        Assert.Equal("ready", json.RootElement.GetProperty("status").GetString());
        JsonElement database = json.RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("OK", database.GetProperty("status").GetString());
        Assert.True(database.GetProperty("response_time").GetDouble() >= 0);
        Assert.False(database.GetProperty("cached").GetBoolean());
        using JsonDocument again = JsonDocument.Parse(second.Body);
        Assert.True(again.RootElement.GetProperty("checks").GetProperty("database").GetProperty("cached").GetBoolean()); // readiness caches 1 s
        Assert.Equal(["status", "cache", "database", "library_store", "checks"], json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Verbose_on_resolvers_and_livez_mirrors_their_shapes()
    {
        await using ProbeHost host = await ProbeHost.StartAsync();

        using JsonDocument resolvers = JsonDocument.Parse((await host.GetAsync("/healthz/resolversz?verbose")).Body);
        Assert.Equal("OK", resolvers.RootElement.GetProperty("checks").GetProperty("ldapresolver").GetProperty("ldapresolver1").GetProperty("status").GetString());

        using JsonDocument livez = JsonDocument.Parse((await host.GetAsync("/healthz/livez?verbose")).Body);
        Assert.Equal(["status", "checks"], livez.RootElement.EnumerateObject().Select(p => p.Name)); // a healthy livez body lists no checks, the detail does
        Assert.Equal("OK", livez.RootElement.GetProperty("checks").GetProperty("heartbeat").GetProperty("status").GetString());

        using JsonDocument startup = JsonDocument.Parse((await host.GetAsync("/healthz/startupz?verbose")).Body);
        Assert.Equal("OK", startup.RootElement.GetProperty("checks").GetProperty("migrations").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Excluded_checks_do_not_run_do_not_count_and_say_excluded()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(s => s["database"] = Behavior.Unhealthy);

        ProbeReply reply = await host.GetAsync("/healthz/readyz?exclude=database&exclude=nonexistent");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("""{"status":"ready","cache":"OK","database":"excluded","library_store":"OK"}""", reply.Body);
        Assert.Equal(0, host.Scenario.Invocations("database"));

        ProbeReply both = await host.GetAsync("/healthz/readyz?exclude=database,cache&verbose");
        using JsonDocument json = JsonDocument.Parse(both.Body);
        Assert.Equal("excluded", json.RootElement.GetProperty("checks").GetProperty("cache").GetProperty("status").GetString());
        Assert.False(json.RootElement.GetProperty("checks").GetProperty("cache").TryGetProperty("response_time", out _));
    }

    [Fact]
    public async Task Verbose_warns_about_exclude_names_that_match_no_check_as_the_apiserver_does()
    {
        await using ProbeHost host = await ProbeHost.StartAsync();

        ProbeReply verbose = await host.GetAsync("/healthz/readyz?verbose&exclude=database&exclude=nonexistent,also_missing");
        ProbeReply plain = await host.GetAsync("/healthz/readyz?exclude=nonexistent");
        ProbeReply overall = await host.GetAsync("/healthz?verbose&exclude=heartbeat&exclude=cache&exclude=nope"); // names of either probe count

        using JsonDocument json = JsonDocument.Parse(verbose.Body);
        Assert.Equal(["some health checks cannot be excluded: no matches for \"also_missing\",\"nonexistent\""],
            json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.DoesNotContain("warnings", plain.Body, StringComparison.Ordinal);
        using JsonDocument whole = JsonDocument.Parse(overall.Body);
        Assert.Equal("some health checks cannot be excluded: no matches for \"nope\"", Assert.Single(whole.RootElement.GetProperty("warnings").EnumerateArray()).GetString());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/healthz/livez")]
    [InlineData("/healthz/readyz?verbose")]
    [InlineData("/healthz/startupz")]
    [InlineData("/healthz/resolversz")]
    [InlineData("/healthz/readyz/database")]
    public async Task Every_probe_response_says_nosniff(string path)
    {
        await using ProbeHost host = await ProbeHost.StartAsync();

        ProbeReply reply = await host.GetAsync(path);
        ProbeReply post = await host.SendAsync(HttpMethod.Post, path);

        Assert.Contains("X-Content-Type-Options: nosniff", reply.Headers.Split('\n'));
        Assert.Contains("X-Content-Type-Options: nosniff", post.Headers.Split('\n')); // the 405 too
    }

    [Theory]
    [InlineData("?verbose&verbose&verbose")]
    [InlineData("?exclude=&exclude=%&exclude=%zz&exclude=%C3%28")]
    [InlineData("?verbose=%ff%fe&exclude=%00")]
    [InlineData("?=&&==&%%%")]
    [InlineData("?a[b]=c&x=%E2%82")]
    public async Task Junk_query_strings_never_cause_a_500(string query)
    {
        await using ProbeHost host = await ProbeHost.StartAsync();
        foreach (string path in new[] { "/healthz", "/healthz/livez", "/healthz/readyz", "/healthz/startupz", "/healthz/resolversz", "/healthz/readyz/database" })
        {
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(path + query)).Status);
        }
    }

    [Fact]
    public async Task A_huge_exclude_value_is_answered_normally()
    {
        await using ProbeHost host = await ProbeHost.StartAsync();
        // Just under Kestrel's 8 KB request-line limit (beyond it Kestrel itself answers 414).
        string huge = string.Join("&", Enumerable.Range(0, 250).Select(i => $"exclude=check{i}")) + "&exclude=" + new string('x', 3000);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/healthz/readyz?" + huge)).Status);
    }

    [Fact]
    public async Task Details_with_the_token_show_descriptions_failures_and_exception_types()
    {
        await using ProbeHost host = await ProbeHost.StartAsync(
            s => { s["database"] = Behavior.Throw; s["cache"] = Behavior.Unhealthy; s["sqlresolver1"] = Behavior.Unhealthy; },
            configure: o => o.DetailsToken = Token);

        ProbeReply reply = await host.SendAsync(HttpMethod.Get, "/healthz/details", "Bearer " + Token);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("no-store", reply.CacheControl);
        using JsonDocument json = JsonDocument.Parse(reply.Body);
        JsonElement root = json.RootElement;
        Assert.Equal("not ready", root.GetProperty("status").GetString());
        JsonElement database = root.GetProperty("readyz").GetProperty("checks").GetProperty("database");
        Assert.Equal(("fail", "exception"), (database.GetProperty("status").GetString(), database.GetProperty("failure").GetString()));
        Assert.Equal("System.InvalidOperationException", database.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("database exploded", database.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("The check returned false.", root.GetProperty("readyz").GetProperty("checks").GetProperty("cache").GetProperty("description").GetString());
        Assert.Equal("fail", root.GetProperty("resolversz").GetProperty("checks").GetProperty("sqlresolver").GetProperty("sqlresolver1").GetProperty("status").GetString());
        Assert.Equal("OK", root.GetProperty("livez").GetProperty("status").GetString());
        Assert.Equal("started", root.GetProperty("startupz").GetProperty("status").GetString());
        Assert.DoesNotContain(" at ", reply.Body, StringComparison.Ordinal); // no stack traces, even here
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer " + Token + "x")]
    [InlineData("Bearer details-Token-5b1e0")]
    [InlineData("Basic ZGV0YWlsczp0b2tlbg==")]
    [InlineData(Token)]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    public async Task Details_without_the_right_token_are_indistinguishable_from_an_unknown_path(string? authorization)
    {
        await using ProbeHost host = await ProbeHost.StartAsync(configure: o => o.DetailsToken = Token);

        foreach (HttpMethod method in new[] { HttpMethod.Get, HttpMethod.Head, HttpMethod.Post })
        {
            ProbeReply details = await host.SendAsync(method, "/healthz/details", authorization);
            ProbeReply unknown = await host.SendAsync(method, "/healthz/no-such-endpoint", authorization);
            Assert.Equal(HttpStatusCode.NotFound, details.Status);
            Assert.Equal((unknown.Status, unknown.Body, unknown.Headers), (details.Status, details.Body, details.Headers));
        }
    }

    [Fact]
    public async Task Without_a_configured_token_details_are_off()
    {
        await using ProbeHost host = await ProbeHost.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, "/healthz/details", "Bearer ")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, "/healthz/details", "Bearer anything")).Status);
    }
}
