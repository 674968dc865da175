using System.Runtime.CompilerServices;
using HealthGen.Checks.Pkcs11.Native;

namespace HealthGen.Checks.Pkcs11.Tests;

/// <summary>
/// The binding's structs against the sizes and offsets a C compiler gives the PKCS#11 headers on
/// Linux x64 (gcc, p11-kit's pkcs11.h): a field missing from the function list would make every
/// later call land on the wrong function.
/// </summary>
public sealed unsafe class BindingLayoutTests
{
    [Fact]
    public void Structs_have_the_C_sizes()
    {
        Assert.Equal(2, Unsafe.SizeOf<CK_VERSION>());
        Assert.Equal(48, Unsafe.SizeOf<CK_C_INITIALIZE_ARGS>());
        Assert.Equal(112, Unsafe.SizeOf<CK_SLOT_INFO>());
        Assert.Equal(208, Unsafe.SizeOf<CK_TOKEN_INFO>());
        Assert.Equal(32, Unsafe.SizeOf<CK_SESSION_INFO>());
        Assert.Equal(552, Unsafe.SizeOf<CK_FUNCTION_LIST>()); // version (padded to 8) + 68 function pointers
    }

    [Fact]
    public void Fields_have_the_C_offsets()
    {
        CK_FUNCTION_LIST list = default;
        byte* start = (byte*)&list;
        Assert.Equal(8, (byte*)&list.C_Initialize - start);
        Assert.Equal(128, (byte*)&list.C_GetSessionInfo - start);
        Assert.Equal(152, (byte*)&list.C_Login - start);
        Assert.Equal(544, (byte*)&list.C_WaitForSlotEvent - start);

        CK_TOKEN_INFO token = default;
        Assert.Equal(96, (byte*)&token.flags - (byte*)&token);
        CK_SLOT_INFO slot = default;
        Assert.Equal(96, (byte*)&slot.flags - (byte*)&slot);
        CK_SESSION_INFO session = default;
        Assert.Equal(8, (byte*)&session.state - (byte*)&session);
    }

    [Theory]
    [InlineData(0x0, "CKR_OK")]
    [InlineData(0x3, "CKR_SLOT_ID_INVALID")]
    [InlineData(0x5, "CKR_GENERAL_ERROR")]
    [InlineData(0x32, "CKR_DEVICE_REMOVED")]
    [InlineData(0xA0, "CKR_PIN_INCORRECT")]
    [InlineData(0xA4, "CKR_PIN_LOCKED")]
    [InlineData(0xE0, "CKR_TOKEN_NOT_PRESENT")]
    [InlineData(0xE1, "CKR_TOKEN_NOT_RECOGNIZED")]
    [InlineData(0x100, "CKR_USER_ALREADY_LOGGED_IN")]
    [InlineData(0x191, "CKR_CRYPTOKI_ALREADY_INITIALIZED")]
    [InlineData(0x1C3, "CKR_0x1C3")]
    [InlineData(0x80000001, "CKR_0x80000001")]
    public void Return_values_are_named_as_in_the_specification(ulong rv, string name)
    {
        Assert.Equal(name, CryptokiResult.Name((nuint)rv));
    }
}
