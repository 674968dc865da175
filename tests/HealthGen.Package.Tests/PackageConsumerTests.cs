using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using HealthGen.Testing;
using HealthGen.Testing.Servers;

namespace HealthGen.Package.Tests;

/// <summary>
/// HealthGen as users consume it: the packed .nupkg files in a local feed, a fresh project with package
/// references only. The generator must run, HG0001 must fire, and the probes must answer.
/// </summary>
public sealed class PackageConsumerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("healthgen-consumer-").FullName;

    [Fact]
    public async Task A_project_that_references_the_packages_gets_the_generator_the_analyzers_and_working_probes()
    {
        string feed = Path.Combine(_directory, "feed");
        foreach (string project in new[] { "HealthGen", "HealthGen.Checks.Sql" })
        {
            // test.sh has built the solution in Release; pack what was built.
            (int pack, string packOutput) = await RunAsync("dotnet", RepositoryPaths.Root, "pack", RepositoryPaths.Combine("src", project, project + ".csproj"), "-c", "Release", "--no-build", "-nologo", "-o", feed);
            Assert.True(pack == 0, $"dotnet pack {project} failed (build the solution in Release first, as ./test.sh does):\n{packOutput}");
        }

        AssertPackageLayout(Path.Combine(feed, "HealthGen.0.1.0.nupkg"));
        Assert.True(File.Exists(Path.Combine(feed, "HealthGen.0.1.0.snupkg")), "no symbol package");

        string app = Path.Combine(_directory, "consumer");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="healthgen-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <!-- A package cache of its own: never a stale HealthGen from an earlier run. -->
                <RestorePackagesPath>{Path.Combine(_directory, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="HealthGen" Version="0.1.0" />
                <PackageReference Include="HealthGen.Checks.Sql" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using System.Data.Common;
            using HealthGen;
            using HealthGen.Checks.Sql;

            if (HealthGenProbe.TryRun(args, out int probeExitCode))
            {
                return probeExitCode;
            }

            var builder = WebApplication.CreateSlimBuilder(args);
            builder.Services.AddHealthGen(o => o.DisabledChecks.Add("livez/bad_liveness"));
            var app = builder.Build();
            app.MapHealthGen();
            app.Run();
            return 0;

            public static class Checks
            {
                [LivenessCheck]
                public static bool Process() => true;

                [ReadinessCheck("orders_queue")]
                public static HealthResult Queue() => HealthResult.Healthy();

                [LivenessCheck("bad_liveness")]
                public static Task<HealthResult> Bad(DbDataSource users, CancellationToken cancellationToken) => SqlHealth.PingAsync(users, cancellationToken);
            }
            """);

        (int build, string buildOutput) = await RunAsync("dotnet", app, "build", "-c", "Release", "-nologo");
        Assert.True(build == 0, buildOutput);
        Assert.Contains("warning HG0001: Liveness check 'bad_liveness' reaches DbDataSource (parameter 'users') via Checks.Bad", buildOutput);

        int port = ServerProcess.FreeLoopbackPort();
        string dll = Path.Combine(app, "bin", "Release", "net10.0", "Consumer.dll");
        using Process server = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { dll, "--urls", $"http://127.0.0.1:{port}" }, RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            string livez = await RetryAsync(() => client.GetStringAsync("/healthz/livez"));
            Assert.Equal("""{"status":"OK"}""", livez);
            Assert.Equal("""{"status":"ready","orders_queue":"OK"}""", await client.GetStringAsync("/healthz/readyz"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void AssertPackageLayout(string package)
    {
        using ZipArchive archive = ZipFile.OpenRead(package);
        string[] entries = archive.Entries.Select(e => e.FullName).ToArray();
        foreach (string expected in new[]
        {
            "analyzers/dotnet/cs/HealthGen.Generators.dll", "analyzers/dotnet/cs/HealthGen.CodeFixes.dll",
            "lib/net9.0/HealthGen.dll", "lib/net10.0/HealthGen.dll", "lib/net10.0/HealthGen.xml", "PACKAGE.md",
        })
        {
            Assert.Contains(expected, entries);
        }

        using var nuspec = new StreamReader(archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        string metadata = nuspec.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", metadata);
        Assert.Contains("<repository type=\"git\"", metadata);
        Assert.Contains("<readme>PACKAGE.md</readme>", metadata);
    }

    private static async Task<string> RetryAsync(Func<Task<string>> request)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await request();
            }
            catch (HttpRequestException) when (attempt < 300)
            {
                await Task.Delay(100); // not listening yet
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
