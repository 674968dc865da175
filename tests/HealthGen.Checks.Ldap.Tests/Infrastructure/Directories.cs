using System.Threading.Tasks;

namespace HealthGen.Checks.Ldap.Tests.Infrastructure;

/// <summary>One plain slapd shared by the tests of a class that only read from it.</summary>
public sealed class PlainDirectory : IAsyncLifetime
{
    private SlapdServer? _server;

    internal SlapdServer Server => _server!;

    public async Task InitializeAsync() => _server = await SlapdServer.StartAsync(SlapdTls.None);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>One slapd that offers StartTLS and ldaps:// and requires TLS for every operation.</summary>
public sealed class TlsRequiredDirectory : IAsyncLifetime
{
    private SlapdServer? _server;

    internal SlapdServer Server => _server!;

    public async Task InitializeAsync() => _server = await SlapdServer.StartAsync(SlapdTls.Required);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
