using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace HealthGen.EndToEnd.Tests;

/// <summary>
/// A real <c>dotnet build</c> of a fresh project that references HealthGen the way an application does:
/// the analyzers run inside the compiler and HG0001 appears in the build output with its path.
/// </summary>
public sealed class AnalyzerBuildTests
{
    [Fact]
    public async Task Dotnet_build_reports_a_liveness_check_that_opens_a_database_connection_with_its_path()
    {
        string repository = HealthGen.Testing.RepositoryPaths.Root;
        string directory = Directory.CreateTempSubdirectory("healthgen-build-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk.Web">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{repository}/src/HealthGen/HealthGen.csproj" />
                    <ProjectReference Include="{repository}/src/HealthGen.Generators/HealthGen.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                    <PackageReference Include="Npgsql" Version="10.0.0" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), """
                using HealthGen;
                using Npgsql;

                var builder = WebApplication.CreateSlimBuilder(args);
                builder.Services.AddHealthGen();
                var app = builder.Build();
                app.MapHealthGen();
                app.Run();

                public static class Probes
                {
                    [LivenessCheck]
                    public static Task<bool> Process(CancellationToken cancellationToken) => Db.Ping(cancellationToken);
                }

                public static class Db
                {
                    public static async Task<bool> Ping(CancellationToken cancellationToken)
                    {
                        await using var connection = new NpgsqlConnection("Host=127.0.0.1");
                        await connection.OpenAsync(cancellationToken);
                        return true;
                    }
                }
                """);

            (int exitCode, string output) = await RunAsync("dotnet", directory, "build", "-c", "Release", "-nologo", "-p:TreatWarningsAsErrors=false");
            Assert.True(exitCode == 0, output);
            Assert.Contains("warning HG0001: Liveness check 'process' reaches new NpgsqlConnection via Probes.Process → Db.Ping", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
