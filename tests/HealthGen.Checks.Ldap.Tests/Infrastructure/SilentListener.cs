using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace HealthGen.Checks.Ldap.Tests.Infrastructure;

/// <summary>
/// Accepts TCP connections and never answers: a hung directory. Disposing it closes the accepted connections,
/// which is what lets the LDAP calls blocked on them return.
/// </summary>
internal sealed class SilentListener : IDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _connections = new(0);
    private bool _disposed;

    private SilentListener()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }

    public string Url => $"ldap://127.0.0.1:{Port}";

    public static SilentListener Start() => new();

    /// <summary>Waits (bounded) until the next accepted connection.</summary>
    public Task<bool> WaitForConnectionAsync(TimeSpan timeout) => _connections.WaitAsync(timeout);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        _listener.Stop();
        lock (_accepted)
        {
            foreach (Socket socket in _accepted)
            {
                socket.Dispose();
            }

            _accepted.Clear();
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                Socket socket = await _listener.AcceptSocketAsync(_stopping.Token);
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }

                _connections.Release();
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
