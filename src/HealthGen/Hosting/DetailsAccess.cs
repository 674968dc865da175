using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace HealthGen.Hosting;

/// <summary>
/// Decides whether a request may see <c>{prefix}/details</c>: <c>Authorization: Bearer &lt;DetailsToken&gt;</c>.
/// Both sides are hashed with SHA-256 and the hashes compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the token's content nor its length
/// can be learned from response timing. With no token configured, nobody may.
/// </summary>
internal sealed class DetailsAccess
{
    private const string Scheme = "Bearer ";
    private readonly byte[]? _expectedHash;

    public DetailsAccess(string? token)
    {
        _expectedHash = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    public bool IsAuthorized(HttpRequest request)
    {
        if (_expectedHash is null)
        {
            return false;
        }

        StringValues headers = request.Headers.Authorization;
        if (headers.Count != 1 || headers[0] is not { } header
            || header.Length <= Scheme.Length || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        ReadOnlySpan<char> presented = header.AsSpan(Scheme.Length).Trim();
        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(presented.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(presented, rented);
            SHA256.HashData(rented.AsSpan(0, length), presentedHash);
            return CryptographicOperations.FixedTimeEquals(presentedHash, _expectedHash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented);
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
