using System.Security.Cryptography;

namespace Provisioning.Daemon.BackOffice;

/// <summary>
/// An answer body read into memory up to a cap, so that a hostile back office cannot make the daemon
/// allocate without bound. It may hold key material: <see cref="Dispose"/> wipes it.
/// </summary>
internal sealed class CappedBody : IDisposable
{
    private const int ChunkSize = 16 * 1024;

    private byte[] _buffer;

    private CappedBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>The body as JSON: without a UTF-8 byte order mark, which RFC 8259 (8.1) lets a reader ignore.</summary>
    public ReadOnlySpan<byte> Json => Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? Span[3..] : Span;

    /// <summary>Reads the whole body, or returns null as soon as it is known to be larger than maxBytes.</summary>
    public static async Task<CappedBody?> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        long? declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            return null;
        }

        byte[] buffer = new byte[(int)Math.Min(declared ?? ChunkSize, maxBytes) + 1];
        int length = 0;
        await using Stream stream = await content.ReadAsStreamAsync(cancellationToken);
        while (true)
        {
            if (length == buffer.Length)
            {
                buffer = Grow(buffer, maxBytes);
            }

            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return new CappedBody(buffer, length);
            }

            length += read;
            if (length > maxBytes)
            {
                CryptographicOperations.ZeroMemory(buffer);
                return null;
            }
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_buffer);
        _buffer = [];
    }

    private static byte[] Grow(byte[] buffer, int maxBytes)
    {
        // One byte over the cap is enough to know the body is too large.
        byte[] larger = new byte[(int)Math.Min((long)buffer.Length * 2, (long)maxBytes + 1)];
        buffer.CopyTo(larger, 0);
        CryptographicOperations.ZeroMemory(buffer);
        return larger;
    }
}
