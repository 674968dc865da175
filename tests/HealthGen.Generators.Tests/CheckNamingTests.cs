using HealthGen.Generators.Helpers;

namespace HealthGen.Generators.Tests;

public sealed class CheckNamingTests
{
    [Theory]
    [InlineData("Process", "process")]
    [InlineData("DatabasePing", "database_ping")]
    [InlineData("DatabasePingAsync", "database_ping")]
    [InlineData("HTTPServer", "http_server")]
    [InlineData("CheckHTTP", "check_http")]
    [InlineData("Ldap1", "ldap1")]
    [InlineData("Ldap1Resolver", "ldap1_resolver")]
    [InlineData("already_snake", "already_snake")]
    [InlineData("Async", "async")]
    public void Default_names_are_snake_case_without_async_suffix(string method, string expected)
        => Assert.Equal(expected, CheckNaming.DefaultName(method));

    [Theory]
    [InlineData("process", true)]
    [InlineData("db.primary-1_x", true)]
    [InlineData("0day", true)]
    [InlineData("", false)]
    [InlineData("_private", false)]
    [InlineData("Upper", false)]
    [InlineData("has space", false)]
    [InlineData("status", false)]
    [InlineData("checks", false)]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890bc", true)]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890bcd", false)]
    public void Names_follow_the_documented_pattern(string name, bool valid)
        => Assert.Equal(valid, CheckNaming.IsValid(name));
}
