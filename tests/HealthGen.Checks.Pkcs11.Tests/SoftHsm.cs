using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace HealthGen.Checks.Pkcs11.Tests;

/// <summary>
/// Every test that loads a real PKCS#11 module belongs to this collection: the module is initialized once
/// per process and reads SOFTHSM2_CONF at that moment, so one fixture must set it up before anything else.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsm>
{
    public const string Name = "SoftHSM2";
}

/// <summary>A token the fixture initialized with softhsm2-util.</summary>
public sealed record SoftHsmToken(string Label, string Pin, ulong SlotId, string Directory);

/// <summary>
/// A private SoftHSM2 installation for the test run: its own configuration and token directory in a temp
/// folder, tokens initialized with softhsm2-util. A missing SoftHSM2 fails every test in the collection with
/// a message saying what to install; it never skips.
/// </summary>
public sealed partial class SoftHsm : IDisposable
{
    public const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";
    private const string SoPin = "so-pin-4711";

    public SoftHsm()
    {
        if (!File.Exists(ModulePath))
        {
            throw new InvalidOperationException($"SoftHSM2 module not found at {ModulePath}: install the softhsm2 package (apt-get install -y softhsm2).");
        }

        UtilityPath = FindOnPath("softhsm2-util")
            ?? throw new InvalidOperationException("softhsm2-util not found on PATH: install the softhsm2 package (apt-get install -y softhsm2).");

        Root = Directory.CreateTempSubdirectory("healthgen-softhsm-").FullName;
        TokenDirectory = Path.Combine(Root, "tokens");
        Directory.CreateDirectory(TokenDirectory);
        ConfigurationPath = Path.Combine(Root, "softhsm2.conf");
        File.WriteAllText(ConfigurationPath, $"""
            directories.tokendir = {TokenDirectory}
            objectstore.backend = file
            log.level = ERROR
            """);

        // SoftHSM2 calls getenv() when it is initialized. Environment.SetEnvironmentVariable only changes the
        // runtime's managed copy on Unix, so the native environment is set as well.
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", ConfigurationPath);
        if (SetNativeEnvironmentVariable("SOFTHSM2_CONF", ConfigurationPath, 1) != 0)
        {
            throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed.");
        }

        Healthy = InitializeToken("healthgen-ok", "user-pin-1234");
        WrongPin = InitializeToken("healthgen-wrong-pin", "user-pin-5678");
        Removable = InitializeToken("healthgen-removable", "user-pin-9012");
        Reinitializable = InitializeToken("healthgen-reinit", "user-pin-3456");
        HostApplication = InitializeToken("healthgen-host-app", "user-pin-2468");
        Application = InitializeToken("healthgen-app", "user-pin-1357");
        UninitializedSlotId = FindUninitializedSlot();

        // Initializes the module for the whole run and keeps it initialized until the fixture ends, so tests
        // see exactly one C_Initialize however many tokens they create and dispose.
        Anchor = new Pkcs11Token(new Pkcs11Options { Module = ModulePath, TokenLabel = Healthy.Label, Pin = Healthy.Pin });
        HealthResult first = Anchor.Probe();
        if (first.Status != HealthStatus.Healthy)
        {
            throw new InvalidOperationException($"SoftHSM2 is installed but its first probe failed: {first}");
        }
    }

    public string Root { get; }

    public string TokenDirectory { get; }

    public string ConfigurationPath { get; }

    public string UtilityPath { get; }

    /// <summary>Present, initialized, right PIN.</summary>
    public SoftHsmToken Healthy { get; }

    /// <summary>Only ever probed with a wrong PIN (SoftHSM counts failed logins per token).</summary>
    public SoftHsmToken WrongPin { get; }

    /// <summary>Its directory is deleted by a test: broken for the rest of the module's initialization.</summary>
    public SoftHsmToken Removable { get; }

    /// <summary>Deleted and restored by a test that then re-initializes a private copy of the module.</summary>
    public SoftHsmToken Reinitializable { get; }

    /// <summary>
    /// The token the application's own client (Pkcs11Interop) uses in this process, always through a private
    /// copy of the module (<see cref="CopyModule"/>), so its C_Initialize, C_Finalize and the login state it
    /// shares with the check stay out of the module the other tests count initializations on.
    /// </summary>
    public SoftHsmToken Application { get; }

    /// <summary>The token of the host app process (HostApp/): that process has its own SoftHSM2 state.</summary>
    public SoftHsmToken HostApplication { get; }

    /// <summary>SoftHSM2 always offers one more slot with a fresh, uninitialized token.</summary>
    public ulong UninitializedSlotId { get; }

    public Pkcs11Token Anchor { get; }

    public Pkcs11Options Options(SoftHsmToken token, string? pin = null) => new()
    {
        Module = ModulePath,
        TokenLabel = token.Label,
        Pin = pin ?? token.Pin,
    };

    /// <summary>
    /// A copy of the SoftHSM2 library under a new path: the loader treats it as a different library with its
    /// own global state, so a test can finalize and re-initialize it without touching the shared module.
    /// </summary>
    public string CopyModule(string name)
    {
        string copy = Path.Combine(Root, name);
        File.Copy(ModulePath, copy);
        return copy;
    }

    /// <summary>
    /// Where a test keeps a token's files while their directory is gone. Outside the token directory: SoftHSM2
    /// would take a copy there for a second token with the same serial number, and its C_Initialize aborts the
    /// process on the duplicate slot id (an assert in SlotManager::insertToken).
    /// </summary>
    public string BackupPath(SoftHsmToken token) => Path.Combine(Root, "backups", Path.GetFileName(token.Directory));

    public void Dispose()
    {
        Anchor.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the run.
        }
    }

    private SoftHsmToken InitializeToken(string label, string pin)
    {
        HashSet<string> before = [.. Directory.GetDirectories(TokenDirectory)];
        string output = RunUtility("--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", SoPin);
        Match slot = ReassignedSlot().Match(output);
        if (!slot.Success)
        {
            throw new InvalidOperationException($"softhsm2-util did not say which slot token '{label}' got:\n{output}");
        }

        string directory = Directory.GetDirectories(TokenDirectory).Single(d => !before.Contains(d));
        return new SoftHsmToken(label, pin, ulong.Parse(slot.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), directory);
    }

    private ulong FindUninitializedSlot()
    {
        string output = RunUtility("--show-slots");
        Match match = UninitializedSlot().Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException($"softhsm2-util --show-slots lists no uninitialized token:\n{output}");
        }

        return ulong.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private string RunUtility(params string[] arguments)
    {
        var start = new ProcessStartInfo(UtilityPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SOFTHSM2_CONF"] = ConfigurationPath;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("softhsm2-util did not start.");
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            throw new InvalidOperationException($"softhsm2-util {string.Join(' ', arguments)} did not finish within a minute.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"softhsm2-util {arguments[0]} exited with {process.ExitCode}:\n{output}\n{error.Result}");
        }

        return output;
    }

    private static string? FindOnPath(string program)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex(@"reassigned to slot (\d+)")]
    private static partial Regex ReassignedSlot();

    [GeneratedRegex(@"^Slot (\d+)\r?\n(?:(?!^Slot ).*\r?\n)*?\s+Initialized:\s+no", RegexOptions.Multiline)]
    private static partial Regex UninitializedSlot();

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNativeEnvironmentVariable(string name, string value, int overwrite);
}
