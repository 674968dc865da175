using System;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthGen.Benchmarks;

/// <summary>One application with every variant mapped, started on the <see cref="InMemoryServer"/>.</summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchmarkHost(WebApplication app, InMemoryConnection connection)
    {
        _app = app;
        Connection = connection;
    }

    public InMemoryConnection Connection { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="asyncChecks">Readiness runs the three asynchronous checks instead of the three synchronous ones.</param>
    /// <param name="readinessCacheMs">HealthGen's readiness cache: 0 = every request executes the checks.</param>
    public static BenchmarkHost Start(bool asyncChecks, int readinessCacheMs)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IServer, InMemoryServer>();
        Variants.AddServices(builder.Services, asyncChecks, readinessCacheMs);
        WebApplication app = builder.Build();
        Variants.Map(app, asyncChecks);
        app.StartAsync().GetAwaiter().GetResult();
        var server = (InMemoryServer)app.Services.GetRequiredService<IServer>();
        return new BenchmarkHost(app, server.Connection);
    }

    /// <summary>Sends one request and checks the answer is the expected one, so no variant wins by doing less.</summary>
    public void Expect(string path, byte[] body)
    {
        int status = Connection.GetAsync(path).AsTask().GetAwaiter().GetResult();
        if (status != 200 || !Connection.ResponseBody.SequenceEqual(body))
        {
            throw new InvalidOperationException(
                $"{path} answered {status} '{Encoding.UTF8.GetString(Connection.ResponseBody)}', expected 200 '{Encoding.UTF8.GetString(body)}'.");
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
