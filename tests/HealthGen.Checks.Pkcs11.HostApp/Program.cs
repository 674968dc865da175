using System;
using HealthGen;
using HealthGen.Checks.Pkcs11;
using HealthGen.Checks.Pkcs11.HostApp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// The service: its own HSM client (App:Module, App:TokenLabel, App:Pin) and HealthGen's HSM readiness check
// (Hsm:Module, Hsm:TokenLabel, optionally Hsm:Pin) on the same module. GET /app/use is the service's work:
// the first call initializes the library, opens a session and logs in; every call creates and destroys a
// private session object. Stopped with SIGTERM, it must exit with 0.
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
IConfiguration configuration = builder.Configuration;
builder.Services.AddPkcs11Token();
builder.Services.AddSingleton(_ => new ApplicationHsm(
    Required(configuration, "App:Module"),
    Required(configuration, "App:TokenLabel"),
    Required(configuration, "App:Pin")));
builder.Services.AddHealthGen(options => options.DetailsToken = configuration["Health:Token"]);

WebApplication app = builder.Build();

// Created at start-up, before any probe, and it opens its session on first use (the way a signing service's
// client is often built): the container therefore disposes it after Pkcs11Token, in either order of use.
_ = app.Services.GetRequiredService<ApplicationHsm>();

app.MapHealthGen();
app.MapGet("/app/use", (ApplicationHsm hsm) =>
{
    hsm.Use();
    return Results.Text("used " + hsm.ObjectsCreated.ToString(System.Globalization.CultureInfo.InvariantCulture));
});
app.Run();
return 0;

static string Required(IConfiguration configuration, string key)
    => configuration[key] is { Length: > 0 } value ? value : throw new InvalidOperationException($"{key} is required.");
