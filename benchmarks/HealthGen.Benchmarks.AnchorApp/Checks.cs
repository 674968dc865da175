using System;
using System.Data.Common;
using System.DirectoryServices.Protocols;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HealthGen.Checks.Pkcs11.Native;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace HealthGen.Benchmarks.AnchorApp;

// The checks of samples/HealthGen.Sample/Probes.cs as IHealthChecks, doing what the HealthGen check packages
// do (HealthGen.Checks.Npgsql, .Sql, .Ldap, .Pkcs11) with the same libraries, minus their extras (single
// flight, start-up validation of options, failure classification for the details endpoint).

/// <summary>Liveness "process": the thread pool still keeps up with its work (Probes.Process).</summary>
public sealed class ProcessCheck : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(ThreadPool.PendingWorkItemCount < 10_000 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("thread pool backlog"));
}

/// <summary>Startup "warmup": the warm-up has finished (Probes.WarmedUp).</summary>
public sealed class WarmupCheck(Warmup warmup) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(warmup.IsComplete ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
}

/// <summary>Readiness "queue": the work queue is not too far behind (Probes.Queue).</summary>
public sealed class QueueCheck(WorkQueue queue) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(queue.Backlog switch
        {
            < 100 => HealthCheckResult.Healthy(),
            < 1000 => HealthCheckResult.Degraded($"backlog {queue.Backlog}"),
            _ => HealthCheckResult.Unhealthy($"backlog {queue.Backlog}"),
        });
}

/// <summary>Readiness "database": SELECT 1 on the application's NpgsqlDataSource (PostgresHealth.PingAsync).</summary>
public sealed class DatabaseCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using NpgsqlCommand command = dataSource.CreateCommand("SELECT 1");
            object? answer = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return answer is 1 ? HealthCheckResult.Healthy("SELECT 1 answered") : HealthCheckResult.Unhealthy("unexpected answer to SELECT 1");
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException or SocketException or IOException)
        {
            return HealthCheckResult.Unhealthy(cancellationToken.IsCancellationRequested ? "timeout" : "SELECT 1 failed", exception);
        }
    }
}

/// <summary>Resolver "sqlresolver1": open a connection from the user store's DbDataSource and run SELECT 1 (SqlHealth.PingAsync).</summary>
public sealed class SqlResolverCheck(DbDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            DbConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                DbCommand command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = "SELECT 1";
                    await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    return HealthCheckResult.Healthy("connection opened and query answered");
                }
            }
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or OperationCanceledException or TimeoutException or IOException or SocketException)
        {
            return HealthCheckResult.Unhealthy(cancellationToken.IsCancellationRequested ? "timeout" : "query failed", exception);
        }
    }
}

/// <summary>
/// Resolver "ldapresolver1": connect, bind (simple or anonymous), read the root DSE over
/// System.DirectoryServices.Protocols (RootDseProbe), on a thread of its own because libldap blocks.
/// Settings: Ldap:Resolvers:ldapresolver1:Url (ldap:// or ldaps://), :BindDn, :Password, :TimeoutMs (3000).
/// </summary>
public sealed class LdapResolverCheck : IHealthCheck
{
    private readonly string _host;
    private readonly int _port;
    private readonly bool _useSsl;
    private readonly string? _bindDn;
    private readonly string? _password;
    private readonly TimeSpan _timeout;

    public LdapResolverCheck(IConfiguration resolver)
    {
        if (!Uri.TryCreate(resolver["Url"], UriKind.Absolute, out Uri? url) || url.Scheme is not ("ldap" or "ldaps") || url.Host.Length == 0)
        {
            throw new InvalidOperationException("Ldap:Resolvers:<name>:Url must be an ldap:// or ldaps:// URL.");
        }

        _useSsl = url.Scheme == "ldaps";
        _host = url.HostNameType == UriHostNameType.IPv6 ? url.Host.Trim('[', ']') : url.IdnHost;
        _port = url.Port > 0 ? url.Port : _useSsl ? 636 : 389;
        _bindDn = string.IsNullOrWhiteSpace(resolver["BindDn"]) ? null : resolver["BindDn"];
        _password = resolver["Password"];
        _timeout = TimeSpan.FromMilliseconds(int.TryParse(resolver["TimeoutMs"], CultureInfo.InvariantCulture, out int ms) && ms > 0 ? ms : 3000);
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Task<HealthCheckResult> native = Task.Factory.StartNew(
            static state => ((LdapResolverCheck)state!).Run(), this, CancellationToken.None,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        try
        {
            return await native.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy("timeout");
        }
    }

    private HealthCheckResult Run()
    {
        try
        {
            string server = _host.Contains(':', StringComparison.Ordinal) ? $"[{_host}]:{_port}" : $"{_host}:{_port}";
            var identifier = new LdapDirectoryIdentifier(server, _port, fullyQualifiedDnsHostName: false, connectionless: false);
            using LdapConnection connection = _bindDn is null
                ? new LdapConnection(identifier, credential: null, AuthType.Anonymous)
                : new LdapConnection(identifier, new NetworkCredential(_bindDn, _password), AuthType.Basic);
            connection.AutoBind = false;
            connection.Timeout = _timeout;
            connection.SessionOptions.ProtocolVersion = 3;
            connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
            if (_useSsl)
            {
                connection.SessionOptions.SecureSocketLayer = true;
            }

            connection.Bind();
            var request = new SearchRequest(string.Empty, "(objectClass=*)", SearchScope.Base, attributeList: null)
            {
                TimeLimit = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(_timeout.TotalSeconds))),
            };
            var response = (SearchResponse)connection.SendRequest(request, _timeout);
            return response.Entries.Count == 0
                ? HealthCheckResult.Unhealthy("root DSE not readable")
                : HealthCheckResult.Healthy("bound and read the root DSE");
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy("LDAP check failed", exception);
        }
    }
}

/// <summary>
/// Readiness "hsm": the PKCS#11 module loads and initializes, the token (by Hsm:TokenLabel or Hsm:SlotId) is
/// present and initialized, and with Hsm:Pin the user PIN logs in (Pkcs11Token/TokenProbe), through the same
/// binding (linked from src/HealthGen.Checks.Pkcs11/Native), on a thread of its own because HSM calls block.
/// </summary>
public sealed class HsmCheck : IHealthCheck
{
    private const nuint CKF_TOKEN_PRESENT = 0x1;
    private const nuint CKF_TOKEN_INITIALIZED = 0x400;

    private readonly Lock _gate = new();
    private readonly string _module;
    private readonly string? _label;
    private readonly ulong? _slotId;
    private readonly string? _pin;
    private CryptokiLibrary? _library;
    private bool _initialized;

    public HsmCheck(IConfiguration hsm)
    {
        _module = hsm["Module"] is { Length: > 0 } module && Path.IsPathFullyQualified(module)
            ? module
            : throw new InvalidOperationException("Hsm:Module must be the absolute path of a PKCS#11 module.");
        _label = string.IsNullOrWhiteSpace(hsm["TokenLabel"]) ? null : hsm["TokenLabel"]!.TrimEnd(' ');
        _slotId = ulong.TryParse(hsm["SlotId"], CultureInfo.InvariantCulture, out ulong slot) ? slot : null;
        if ((_label is null) == (_slotId is null))
        {
            throw new InvalidOperationException("Set exactly one of Hsm:TokenLabel and Hsm:SlotId.");
        }

        _pin = string.IsNullOrEmpty(hsm["Pin"]) ? null : hsm["Pin"];
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.Factory.StartNew(
            static state => ((HsmCheck)state!).Run(), this, CancellationToken.None,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).WaitAsync(cancellationToken);

    private HealthCheckResult Run()
    {
        lock (_gate)
        {
            if (_library is null)
            {
                _library = CryptokiLibrary.Load(_module, out string? failure, out Exception? exception);
                if (_library is null)
                {
                    return HealthCheckResult.Unhealthy(failure, exception);
                }
            }

            if (!_initialized)
            {
                nuint rv = _library.Initialize();
                if (rv is not (CryptokiResult.CKR_OK or CryptokiResult.CKR_CRYPTOKI_ALREADY_INITIALIZED))
                {
                    return HealthCheckResult.Unhealthy("C_Initialize failed: " + CryptokiResult.Name(rv));
                }

                _initialized = true;
            }

            HealthCheckResult result = Probe(_library, out nuint failedWith);
            if (failedWith == CryptokiResult.CKR_CRYPTOKI_NOT_INITIALIZED)
            {
                _initialized = false;
            }

            return result;
        }
    }

    private HealthCheckResult Probe(CryptokiLibrary library, out nuint failedWith)
    {
        failedWith = CryptokiResult.CKR_OK;
        nuint slot = 0;
        nuint flags = 0;
        nuint rv;
        if (_label is not null)
        {
            rv = library.GetSlotList(tokenPresent: true, out nuint[] slots);
            if (rv != CryptokiResult.CKR_OK)
            {
                failedWith = rv;
                return HealthCheckResult.Unhealthy("C_GetSlotList failed: " + CryptokiResult.Name(rv));
            }

            bool found = false;
            foreach (nuint candidate in slots)
            {
                if (library.GetTokenInfo(candidate, out string label, out nuint candidateFlags) == CryptokiResult.CKR_OK
                    && string.Equals(label, _label, StringComparison.Ordinal))
                {
                    (slot, flags, found) = (candidate, candidateFlags, true);
                    break;
                }
            }

            if (!found)
            {
                return HealthCheckResult.Unhealthy($"no token with label '{_label}'");
            }
        }
        else
        {
            slot = (nuint)_slotId!.Value;
            rv = library.GetSlotFlags(slot, out nuint slotFlags);
            if (rv != CryptokiResult.CKR_OK || (slotFlags & CKF_TOKEN_PRESENT) == 0)
            {
                failedWith = rv;
                return HealthCheckResult.Unhealthy(rv == CryptokiResult.CKR_OK ? "token not present" : "C_GetSlotInfo failed: " + CryptokiResult.Name(rv));
            }

            rv = library.GetTokenInfo(slot, out _, out flags);
            if (rv != CryptokiResult.CKR_OK)
            {
                failedWith = rv;
                return HealthCheckResult.Unhealthy("C_GetTokenInfo failed: " + CryptokiResult.Name(rv));
            }
        }

        if ((flags & CKF_TOKEN_INITIALIZED) == 0)
        {
            return HealthCheckResult.Unhealthy("token not initialized");
        }

        if (_pin is null)
        {
            return HealthCheckResult.Healthy("token present and initialized");
        }

        rv = library.OpenSession(slot, out nuint session);
        if (rv != CryptokiResult.CKR_OK)
        {
            failedWith = rv;
            return HealthCheckResult.Unhealthy("C_OpenSession failed: " + CryptokiResult.Name(rv));
        }

        byte[] pin = Encoding.UTF8.GetBytes(_pin);
        try
        {
            rv = library.Login(session, pin);
            switch (rv)
            {
                case CryptokiResult.CKR_OK:
                    library.Logout(session);
                    return HealthCheckResult.Healthy("token present and initialized, login OK");
                case CryptokiResult.CKR_USER_ALREADY_LOGGED_IN:
                    return HealthCheckResult.Healthy("token present and initialized, login OK (user already logged in)");
                default:
                    failedWith = rv;
                    return HealthCheckResult.Unhealthy("login failed: " + CryptokiResult.Name(rv));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pin);
            library.CloseSession(session);
        }
    }
}

/// <summary>Pretends to warm caches at start-up; the startup probe waits for it (the sample's Warmup).</summary>
public sealed class Warmup(IConfiguration configuration) : BackgroundService
{
    private volatile bool _complete;

    public bool IsComplete => _complete;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int warmupMs = int.TryParse(configuration["Sample:WarmupMs"], out int value) ? value : 500;
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, warmupMs)), stoppingToken);
        _complete = true;
    }
}

/// <summary>A stand-in for the service's work backlog (the sample's WorkQueue).</summary>
public sealed class WorkQueue
{
    public int Backlog => 0;
}
