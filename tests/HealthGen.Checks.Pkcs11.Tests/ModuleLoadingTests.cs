using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace HealthGen.Checks.Pkcs11.Tests;

/// <summary>Modules that cannot be used at all. None of these initializes SoftHSM2, so they need no fixture.</summary>
public sealed class ModuleLoadingTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("healthgen-pkcs11-");

    [Fact]
    public async Task A_module_path_that_does_not_exist_is_reported()
    {
        using var token = Token(Path.Combine(_temp.FullName, "libmissing.so"));

        HealthResult result = await token.ProbeAsync();

        Assert.Equal(HealthResult.Unhealthy("module not found"), result);
        Assert.Equal(0, token.ModuleInitializeCalls);
    }

    [Fact]
    public async Task A_file_that_is_not_a_library_could_not_be_loaded_and_the_loader_says_why()
    {
        string path = Path.Combine(_temp.FullName, "not-a-library.so");
        await File.WriteAllTextAsync(path, "this is text, not an ELF file");
        using var token = Token(path);

        HealthResult result = await token.ProbeAsync();

        Assert.Equal((HealthStatus.Unhealthy, "module could not be loaded"), (result.Status, result.Description));
        Assert.IsType<DllNotFoundException>(result.Exception);
    }

    [Fact]
    public async Task A_directory_is_not_a_module()
    {
        using var token = Token(_temp.FullName);

        Assert.Equal("module could not be loaded", (await token.ProbeAsync()).Description);
    }

    [Fact]
    public async Task A_library_without_C_GetFunctionList_is_not_a_PKCS11_module()
    {
        // A native library every .NET installation has, and that is certainly not an HSM module.
        string library = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");
        Assert.True(File.Exists(library), library);
        using var token = Token(library);

        Assert.Equal(HealthResult.Unhealthy("not a PKCS#11 module"), await token.ProbeAsync());
        Assert.Equal(0, token.ModuleInitializeCalls);
    }

    public void Dispose() => _temp.Delete(recursive: true);

    private static Pkcs11Token Token(string module) => new(new Pkcs11Options { Module = module, TokenLabel = "any", Pin = "1234" });
}
