using System.Net.Sockets;
using System.Text;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// Exact bytes over a real TCP connection to the bridge, for requests no HTTP client library would send
/// (a broken chunked body, HTTP/1.0, odd header spellings). Reads until the peer closes or the answer is complete.
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends the bytes and returns everything the bridge answers on that connection (status line, headers, body).</summary>
    public static async Task<string> ExchangeAsync(Uri baseAddress, string request, TimeSpan? timeout = null)
    {
        using var client = new TcpClient();
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port, cancellation.Token);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellation.Token);
        return await ReadResponseAsync(stream, cancellation.Token);
    }

    /// <summary>The status code of the first response in <paramref name="response"/>.</summary>
    public static int StatusOf(string response)
    {
        Assert.StartsWith("HTTP/1.", response, StringComparison.Ordinal);
        return int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The body of a response with Content-Length, or everything after the headers.</summary>
    public static string BodyOf(string response)
    {
        int end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end >= 0, "no end of headers in: " + response);
        return response[(end + 4)..];
    }

    /// <summary>Reads one response: headers, then Content-Length bytes of body, or until the peer closes.</summary>
    public static async Task<string> ReadResponseAsync(Stream stream, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        byte[] buffer = new byte[4096];
        while (true)
        {
            string text = Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && ContentLength(text[..end]) is { } length && Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= length)
            {
                return text;
            }

            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException) when (received.Length > 0)
            {
                read = 0;
            }

            if (read == 0)
            {
                return text;
            }

            received.Write(buffer, 0, read);
        }
    }

    private static int? ContentLength(string headers)
    {
        foreach (string line in headers.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return headers.StartsWith("HTTP/1.1 101", StringComparison.Ordinal) || headers.Contains(" 204 ", StringComparison.Ordinal) ? 0 : null;
    }
}
