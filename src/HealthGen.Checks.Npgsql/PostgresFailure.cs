using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using Npgsql;

namespace HealthGen.Checks.Npgsql;

/// <summary>
/// Turns what Npgsql throws into the fixed phrases operators read on the details endpoint. The phrases
/// name what failed, never where or with which credentials.
/// </summary>
internal static class PostgresFailure
{
    public static bool IsExpected(Exception exception)
        => exception is NpgsqlException or OperationCanceledException or TimeoutException or SocketException or IOException;

    public static string Describe(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            return "timeout";
        }

        if (exception is PostgresException postgres)
        {
            return postgres.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => "authentication failed",
                PostgresErrorCodes.InvalidCatalogName => "database does not exist",
                PostgresErrorCodes.CannotConnectNow => "server is starting up or shutting down",
                PostgresErrorCodes.TooManyConnections => "too many connections",
                PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown => "server shut down",
                _ => $"server error {postgres.SqlState}",
            };
        }

        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "connection refused";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return "host not found";
                case SocketException { SocketErrorCode: SocketError.TimedOut } or TimeoutException:
                    return "timeout";
                case SocketException:
                    return "network error";
                case IOException or EndOfStreamException:
                    return "connection lost";
            }
        }

        return exception is NpgsqlException ? "query failed" : "unexpected failure";
    }
}
