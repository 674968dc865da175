// The anchor of the native-AOT comparison (benchmarks/aot.sh): samples/HealthGen.Sample written the way a
// careful ASP.NET Core developer writes it without HealthGen, on Microsoft.Extensions.Diagnostics.HealthChecks
// and MapHealthChecks, native-AOT clean (WebApplication.CreateSlimBuilder, source-generated JSON).
//
// Same as the sample: the checks (process; warmup; queue; database via NpgsqlDataSource; hsm via the same
// PKCS#11 binding, linked from src/HealthGen.Checks.Pkcs11/Native; ldapresolver1 via
// System.DirectoryServices.Protocols; sqlresolver1 via Microsoft.Data.Sqlite), the configuration switches
// (ConnectionStrings__Postgres, Hsm__Module, Ldap__Resolvers__ldapresolver1__Url, Sample__UsersDatabase,
// Sample__WarmupMs), the per-check timeouts (800 ms, queue 500 ms), and the endpoints with their status codes
// and bodies: /healthz, /healthz/livez, /healthz/readyz, /healthz/startupz, /healthz/resolversz
// ({"status":"ready","queue":"OK"}, docs/probes.md).
//
// Not carried over (the sample's binary pays for them, the anchor's does not): single-check endpoints
// (/healthz/readyz/{check}), ?verbose and ?exclude=, the token-protected /details endpoint, result caching and
// single flight, 405 for methods other than GET/HEAD, drain delay, metrics and transition logs, options
// validation at start-up, and the exec probe (`<app> probe livez`).
using System.Collections.Generic;
using System.Data.Common;
using System.IO;
using HealthGen.Benchmarks.AnchorApp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
IConfiguration configuration = builder.Configuration;
IHealthChecksBuilder checks = builder.Services.AddHealthChecks();

checks.Add(Check("process", [ProbeTags.Live], static _ => new ProcessCheck()));
checks.Add(Check("warmup", [ProbeTags.Startup], static services => new WarmupCheck(services.GetRequiredService<Warmup>())));
checks.Add(Check("queue", [ProbeTags.Ready], static services => new QueueCheck(services.GetRequiredService<WorkQueue>()), timeoutMs: 500));

// Embedded default: the SQL resolver's user store is a local SQLite file (the sample's file).
string usersDatabase = configuration["Sample:UsersDatabase"] ?? Path.Combine(Path.GetTempPath(), "healthgen-sample-users.db");
builder.Services.AddKeyedSingleton<DbDataSource>("sqlresolver1", SqliteFactory.Instance.CreateDataSource($"Data Source={usersDatabase}"));
checks.Add(Check("sqlresolver1", [ProbeTags.Resolver, ProbeTags.SqlResolver],
    static services => new SqlResolverCheck(services.GetRequiredKeyedService<DbDataSource>("sqlresolver1"))));

// PostgreSQL switches on with ConnectionStrings__Postgres.
string? postgres = configuration.GetConnectionString("Postgres");
if (!string.IsNullOrWhiteSpace(postgres))
{
    builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(postgres));
    checks.Add(Check("database", [ProbeTags.Ready], static services => new DatabaseCheck(services.GetRequiredService<NpgsqlDataSource>())));
}

// The HSM switches on with Hsm__Module (and Hsm__TokenLabel or Hsm__SlotId, optionally Hsm__Pin).
if (!string.IsNullOrWhiteSpace(configuration["Hsm:Module"]))
{
    builder.Services.AddSingleton(services => new HsmCheck(services.GetRequiredService<IConfiguration>().GetSection("Hsm")));
    checks.Add(Check("hsm", [ProbeTags.Ready], static services => services.GetRequiredService<HsmCheck>()));
}

// The LDAP resolver switches on with Ldap__Resolvers__ldapresolver1__Url (and __BindDn, __Password).
if (!string.IsNullOrWhiteSpace(configuration["Ldap:Resolvers:ldapresolver1:Url"]))
{
    builder.Services.AddSingleton(services => new LdapResolverCheck(services.GetRequiredService<IConfiguration>().GetSection("Ldap:Resolvers:ldapresolver1")));
    checks.Add(Check("ldapresolver1", [ProbeTags.Resolver, ProbeTags.LdapResolver], static services => services.GetRequiredService<LdapResolverCheck>()));
}

builder.Services.AddSingleton<Warmup>();
builder.Services.AddHostedService(static services => services.GetRequiredService<Warmup>());
builder.Services.AddSingleton<WorkQueue>();

WebApplication app = builder.Build();
var writers = new ProbeWriters(app.Lifetime.ApplicationStopping);
app.MapHealthChecks("/healthz", new HealthCheckOptions
{
    Predicate = static r => r.Tags.Contains(ProbeTags.Live) || r.Tags.Contains(ProbeTags.Ready) || r.Tags.Contains(ProbeTags.Startup),
    ResponseWriter = writers.WriteOverall,
});
app.MapHealthChecks("/healthz/livez", new HealthCheckOptions { Predicate = static r => r.Tags.Contains(ProbeTags.Live), ResponseWriter = ProbeWriters.WriteLiveness });
app.MapHealthChecks("/healthz/readyz", new HealthCheckOptions
{
    // The startup checks gate readiness: not started → 503 {"status":"not ready"}.
    Predicate = static r => r.Tags.Contains(ProbeTags.Ready) || r.Tags.Contains(ProbeTags.Startup),
    ResponseWriter = writers.WriteReadiness,
});
app.MapHealthChecks("/healthz/startupz", new HealthCheckOptions { Predicate = static r => r.Tags.Contains(ProbeTags.Startup), ResponseWriter = ProbeWriters.WriteStartup });
app.MapHealthChecks("/healthz/resolversz", new HealthCheckOptions { Predicate = static r => r.Tags.Contains(ProbeTags.Resolver), ResponseWriter = ProbeWriters.WriteResolvers });
app.Run();
return 0;

// HealthGen's default check timeout is 800 ms; the queue check sets 500 ms, like the sample's attribute.
static HealthCheckRegistration Check(string name, string[] tags, System.Func<System.IServiceProvider, IHealthCheck> factory, int timeoutMs = 800)
    => new(name, factory, failureStatus: null, tags, System.TimeSpan.FromMilliseconds(timeoutMs));
