using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using HealthGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthGen.Reliability;

/// <summary>
/// A seeded fuzzer over paths, query strings, methods and headers, and token guessing on details: no 500,
/// no error logged per request, no error text or secret in an unauthenticated body, and details without
/// the token indistinguishable from a path that does not exist.
/// </summary>
public sealed class HostileInputTests
{
    private const string Token = "hostile-Details-Token-7c41e2";
    private const int Seed = 20261121;
    private const int Requests = 3000;

    [Fact]
    public async Task Random_paths_queries_methods_and_headers_never_break_or_leak()
    {
        var errors = new ConcurrentQueue<string>();
        await using LoopbackWebHost host = await ReliabilityHost.StartAsync(["livez/process", "readyz/hung"],
            s => s.AddLogging(b => b.AddProvider(new ErrorCollector(errors))),
            o => o.DetailsToken = Token);
        host.Services.GetRequiredService<HangSwitch>().Release(); // the check passes: this test is about input

        var random = new Random(Seed);
        var statuses = new Dictionary<int, int>();
        for (int i = 0; i < Requests; i++)
        {
            using HttpRequestMessage request = RandomRequest(random);
            string description = $"{request.Method} {request.RequestUri}";
            using HttpResponseMessage response = await host.Client.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            int status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;

            Assert.True(status < 500, $"{description} answered {status}: {body}");
            if (status != 200 || !request.RequestUri!.AbsolutePath.EndsWith("/details", StringComparison.Ordinal))
            {
                foreach (string leak in new[] { Token, "Exception", " at ", "Password", "description" })
                {
                    Assert.False(body.Contains(leak, StringComparison.Ordinal), $"{description} leaked '{leak}': {body}");
                }
            }
        }

        Assert.Empty(errors);
        Figures.Record("hostile input", $"{Requests} seeded random requests (seed {Seed}): statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; 0 5xx, 0 errors logged, no leak");
    }

    [Fact]
    public async Task Guessed_tokens_including_every_prefix_answer_exactly_like_an_unknown_path()
    {
        await using LoopbackWebHost host = await ReliabilityHost.StartAsync(["livez/process"], configure: o => o.DetailsToken = Token);
        string reference = await Describe(host, "/healthz/no-such-path", null);

        var guesses = new List<string?> { null, "", "Bearer", "Bearer ", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + Token)), Token, "Bearer " + Token + " ", };
        guesses.AddRange(Enumerable.Range(0, Token.Length).Select(n => "Bearer " + Token[..n]));            // every prefix
        guesses.AddRange(new[] { "Bearer " + Token + "x", "Bearer " + Token.ToUpperInvariant(), "Bearer " + new string('a', 8000), "Bearer " + Token[1..] + Token[0] });
        int tried = 0;
        foreach (string? guess in guesses)
        {
            if (guess is "Bearer " + Token + " ")
            {
                continue; // trailing whitespace of the header is not part of the token: that one is right
            }

            Assert.Equal(reference, await Describe(host, "/healthz/details", guess));
            tried++;
        }

        Assert.StartsWith("200", await Describe(host, "/healthz/details", "Bearer " + Token));
        Figures.Record("details token guessing", $"{tried} wrong tokens (every prefix of the real one, case changes, 8 KB values, other schemes): all byte-identical to an unknown path");
    }

    private static async Task<string> Describe(LoopbackWebHost host, string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using HttpResponseMessage response = await host.Client.SendAsync(request);
        string headers = string.Join("|", response.Headers.Concat(response.Content.Headers).Where(h => h.Key != "Date").Select(h => h.Key + ":" + string.Join(",", h.Value)).Order());
        return $"{(int)response.StatusCode} {headers} {await response.Content.ReadAsStringAsync()}";
    }

    private static HttpRequestMessage RandomRequest(Random random)
    {
        string[] methods = ["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
        string[] paths =
        [
            "/healthz", "/healthz/", "/healthz/livez", "/healthz/readyz", "/healthz/startupz", "/healthz/resolversz", "/healthz/details",
            "/healthz/readyz/hung", "/healthz/readyz/%2e%2e/%2e%2e/etc/passwd", "/healthz/livez/" + new string('x', 300),
            "/healthz/resolversz/a/b/c", "/HEALTHZ/LIVEZ", "/healthz//livez", "/healthz/readyz/%00", "/healthz/readyz/%C3%28",
            "/healthz/details/..", "/healthz/readyz/ü", "/", "/nothing",
        ];
        string[] queries =
        [
            "", "?verbose", "?verbose=false", "?verbose=%ff", "?exclude=hung", "?exclude=hung&exclude=hung&exclude=", "?exclude=%", "?exclude=%zz%",
            "?exclude=" + new string('a', 2000), "?verbose&verbose=1&verbose=0", "?=&&=&", "?exclude[]=x", "?%E2%82=%E2",
        ];
        var request = new HttpRequestMessage(new HttpMethod(methods[random.Next(methods.Length)]),
            paths[random.Next(paths.Length)] + queries[random.Next(queries.Length)]);
        switch (random.Next(6))
        {
            case 0:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + RandomText(random, random.Next(1, 100)));
                break;
            case 1:
                request.Headers.TryAddWithoutValidation("Authorization", RandomText(random, random.Next(1, 4000)));
                break;
            case 2:
                request.Headers.TryAddWithoutValidation("Accept", RandomText(random, 50));
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", "127.0.0.1, " + RandomText(random, 20));
                break;
            case 3:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Token[..random.Next(Token.Length)]);
                break;
        }

        return request;
    }

    private static string RandomText(Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/=%";
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }

    private sealed class ErrorCollector(ConcurrentQueue<string> errors) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, errors);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> errors) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Error)
                {
                    errors.Enqueue($"{category}: {formatter(state, exception)} {exception}");
                }
            }
        }
    }
}
