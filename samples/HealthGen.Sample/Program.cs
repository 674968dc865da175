using System.Data.Common;
using System.IO;
using HealthGen.Checks.Ldap;
using HealthGen.Checks.Pkcs11;
using HealthGen.Sample;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

// `HealthGen.Sample probe livez` answers an exec probe (no curl in the image) without starting the host.
if (HealthGen.HealthGenProbe.TryRun(args, out int probeExitCode))
{
    return probeExitCode;
}

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
IConfiguration configuration = builder.Configuration;

// Embedded default: the SQL resolver's user store is a local SQLite file.
string usersDatabase = configuration["Sample:UsersDatabase"] ?? Path.Combine(Path.GetTempPath(), "healthgen-sample-users.db");
builder.Services.AddKeyedSingleton<DbDataSource>(Probes.SqlResolver, SqliteFactory.Instance.CreateDataSource($"Data Source={usersDatabase}"));

// PostgreSQL switches on with ConnectionStrings__Postgres.
string? postgres = configuration.GetConnectionString("Postgres");
if (!string.IsNullOrWhiteSpace(postgres))
{
    builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(postgres));
}

// The HSM switches on with Hsm__Module (and Hsm__TokenLabel or Hsm__SlotId, optionally Hsm__Pin).
bool hsm = !string.IsNullOrWhiteSpace(configuration["Hsm:Module"]);
if (hsm)
{
    builder.Services.AddPkcs11Token();
}

// The LDAP resolver switches on with Ldap__Resolvers__ldapresolver1__Url (and __BindDn, __Password).
bool ldap = !string.IsNullOrWhiteSpace(configuration[$"Ldap:Resolvers:{Probes.LdapResolver}:Url"]);
if (ldap)
{
    builder.Services.AddLdapResolvers();
}

builder.Services.AddHealthGen(options =>
{
    options.DetailsToken = configuration["Health:Token"];
    if (string.IsNullOrWhiteSpace(postgres))
    {
        options.DisabledChecks.Add("readyz/database");
    }

    if (!hsm)
    {
        options.DisabledChecks.Add("readyz/hsm");
    }

    if (!ldap)
    {
        options.DisabledChecks.Add($"resolversz/ldapresolver/{Probes.LdapResolver}");
    }
});
builder.Services.AddSingleton<Warmup>();
builder.Services.AddHostedService(static services => services.GetRequiredService<Warmup>());
builder.Services.AddSingleton<WorkQueue>();

WebApplication app = builder.Build();
app.MapHealthGen(); // /healthz, /healthz/livez, /healthz/readyz, /healthz/startupz, /healthz/resolversz
app.Run();
return 0;
