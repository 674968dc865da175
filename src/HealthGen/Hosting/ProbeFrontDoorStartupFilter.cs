using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace HealthGen.Hosting;

/// <summary>
/// Puts <see cref="ProbeFrontDoor"/> first in the host's pipeline. The web host wraps the application's pipeline
/// in its startup filters in registration order, the first registered outermost — and the default builders
/// register the one that adds host filtering before the application's code runs — so <c>AddHealthGen</c> inserts
/// this one at the head of the service collection. Host filtering added by hand with <c>app.UseHostFiltering()</c>
/// is inside the application's pipeline, behind it too.
/// </summary>
internal sealed class ProbeFrontDoorStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(ProbeFrontDoor.For(app));
        next(app);
    };
}
