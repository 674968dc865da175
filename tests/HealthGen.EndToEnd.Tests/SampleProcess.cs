using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using HealthGen.Testing;

namespace HealthGen.EndToEnd.Tests;

/// <summary>The built sample, run as its own process (<see cref="AppProcess"/>) on a free loopback port, as a newcomer runs it.</summary>
internal static class SampleProcess
{
    /// <summary>The native-AOT binary that test.sh publishes (dotnet publish -c Release -r linux-x64 -f net10.0 -o artifacts/aot).</summary>
    public static string NativeBinary => HealthGen.Testing.RepositoryPaths.Combine("artifacts", "aot", "HealthGen.Sample");

    /// <summary>Starts the sample and waits until startupz answers 200 (its warm-up finished).</summary>
    public static Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null, bool native = false)
    {
        int port = HealthGen.Testing.Servers.ServerProcess.FreeLoopbackPort();
        ProcessStartInfo start = CreateStartInfo(native, "--urls", $"http://127.0.0.1:{port}");
        // These tests are about what the sample answers, not about timeouts: a cold process on a loaded
        // machine must not turn a first SQLite open or database connection into a timeout.
        start.Environment["HealthGen__DefaultTimeoutMs"] = "10000";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return AppProcess.StartAsync(start, port, "/healthz/startupz", "The sample");
    }

    /// <summary>How to start the sample: the managed build copied next to the tests, or the native binary.</summary>
    public static ProcessStartInfo CreateStartInfo(bool native, params string[] arguments)
    {
        string program;
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true };
        if (native)
        {
            program = NativeBinary;
            Assert.True(File.Exists(program), $"The native sample is not published at {program}: run ./test.sh, or dotnet publish samples/HealthGen.Sample -c Release -r linux-x64 -f net10.0 -o artifacts/aot");
            start.FileName = program;
        }
        else
        {
            program = Path.Combine(AppContext.BaseDirectory, "sample", "HealthGen.Sample.dll");
            Assert.True(File.Exists(program), $"The sample was not built next to the tests: {program}");
            start.FileName = "dotnet";
            start.ArgumentList.Add(program);
        }

        start.WorkingDirectory = Path.GetDirectoryName(program)!;
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Runs <c>HealthGen.Sample probe …</c> as its own process, as a container's HEALTHCHECK does.</summary>
    public static async Task<(int ExitCode, string Output)> RunExecProbeAsync(bool native, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        ProcessStartInfo start = CreateStartInfo(native, ["probe", .. arguments]);
        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
