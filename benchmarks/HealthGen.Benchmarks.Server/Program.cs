using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthGen.Benchmarks;

/// <summary>
/// The benchmark server: Kestrel on <c>--urls</c>, no logging providers.
/// <list type="bullet">
/// <item>Default: every variant of <see cref="Variants"/> side by side (<c>/raw</c>, <c>/hg</c>, <c>/mhc</c>,
/// <c>/mhc-json</c>; synchronous readiness checks, HealthGen's readiness cache 1 s). Driven by benchmarks/load.sh.</item>
/// <item><c>--postgres "&lt;connection string&gt;"</c>: storm mode, a real PostgreSQL readiness check behind
/// <c>/hg/readyz</c> and <c>/mhc/readyz</c> (see <see cref="Storm"/>). Driven by benchmarks/storm.sh.</item>
/// </list>
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string? postgres = null;
        var hostArgs = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--postgres")
            {
                if (i + 1 >= args.Length || string.IsNullOrWhiteSpace(args[i + 1]))
                {
                    Console.Error.WriteLine("usage: HealthGen.Benchmarks.Server --urls http://127.0.0.1:PORT [--postgres \"<connection string>\"]");
                    return 2;
                }

                postgres = args[++i];
            }
            else
            {
                hostArgs.Add(args[i]);
            }
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder([.. hostArgs]);
        builder.Logging.ClearProviders();
        if (postgres is null)
        {
            Variants.AddServices(builder.Services, asyncChecks: false, readinessCacheMs: 1000);
            // The storm's check is compiled into this application too; without a database it must not run.
            builder.Services.AddHealthGen(static options => options.DisabledChecks.Add(Storm.ReadinessPath));
        }
        else
        {
            Storm.AddServices(builder.Services, postgres);
        }

        WebApplication app = builder.Build();
        if (postgres is null)
        {
            Variants.Map(app, asyncChecks: false);
        }
        else
        {
            Storm.Map(app);
        }

        app.Run();
        return 0;
    }
}
