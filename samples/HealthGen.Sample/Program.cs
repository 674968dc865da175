using HealthGen.Sample;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);

builder.Services.AddHealthGen(options => options.DetailsToken = builder.Configuration["Health:Token"]);
builder.Services.AddSingleton<Warmup>();
builder.Services.AddHostedService(static services => services.GetRequiredService<Warmup>());
builder.Services.AddSingleton<InMemoryUserStore>();
builder.Services.AddSingleton<WorkQueue>();

WebApplication app = builder.Build();
app.MapHealthGen(); // /healthz, /healthz/livez, /healthz/readyz, /healthz/startupz, /healthz/resolversz
app.Run();
