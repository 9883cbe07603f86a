using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// A request body the HTTP layer cannot read (broken chunked encoding, an overflowing chunk size) is the caller's
/// mistake: a 4xx and at most one warning line, never a 500 or a stack trace a local caller could flood the log with.
/// </summary>
public sealed class MalformedBodyTests
{
    private const string Head = "POST /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";

    public static TheoryData<string, string> BrokenChunkedBodies => new()
    {
        { "chunk size overflows", "ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n" },
        { "chunk size not hex", "zz\r\n{}\r\n0\r\n\r\n" },
        { "chunk size too large", "7fffffff\r\n{}" },
        { "no CRLF after the chunk data", "2\r\n{}XX0\r\n\r\n" },
        { "bare LF in the chunk size line", "2\n{}\r\n0\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(BrokenChunkedBodies))]
    public async Task BrokenChunkedBody_4xx_AtMostOneWarningLine_NoStackTrace(string name, string body)
    {
        await using BridgeHost host = await BridgeHost.StartAsync();

        string response = await RawHttp.ExchangeAsync(host.BaseAddress, Head + body);

        int status = RawHttp.StatusOf(response);
        Assert.True(status is >= 400 and < 500, $"{name}: {response}");
        AssertQuietLog(host.Logs);

        (int after, _) = await host.PostAsync(Requests.ExistsProvision);
        Assert.Equal(200, after);
    }

    [Fact]
    public async Task ManyBrokenChunkedBodies_EachOneLineAtMost_EvenAtInformationLevel()
    {
        await using BridgeHost host = await BridgeHost.StartAsync("Logging:LogLevel:Default=Information");
        const int count = 50;
        int before = host.Logs.GetSnapshot().Count;
        for (int i = 0; i < count; i++)
        {
            string response = await RawHttp.ExchangeAsync(host.BaseAddress, Head + "ffffffffffffffffffff\r\n");
            Assert.Equal(400, RawHttp.StatusOf(response));
        }

        AssertQuietLog(host.Logs);
        IReadOnlyList<FakeLogRecord> lines = [.. host.Logs.GetSnapshot().Skip(before)];
        Assert.True(lines.Count <= count, $"{lines.Count} log lines for {count} bad requests: " + string.Join("\n", lines.Select(l => l.Message).Distinct()));
    }

    [Fact]
    public async Task BodyTricklingInTooSlowly_408_OneWarningLine_NoStackTrace()
    {
        // Kestrel's minimum body rate (240 bytes/s after a 5 s grace period) ends a body that stalls.
        await using BridgeHost host = await BridgeHost.StartAsync();
        int before = host.Logs.GetSnapshot().Count;

        string response = await RawHttp.ExchangeAsync(
            host.BaseAddress,
            "POST /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{\"jsonrpc\":",
            TimeSpan.FromSeconds(60));

        Assert.Equal(408, RawHttp.StatusOf(response));
        AssertQuietLog(host.Logs);
        Assert.Single(host.Logs.GetSnapshot().Skip(before), r => r.Id.Id == 3012);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BodyCutShortByTheCallersEnd_NoStackTrace(bool halfClose)
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        for (int i = 0; i < 3; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port, TestContext.Current.CancellationToken);
            await socket.SendAsync("POST /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"id\":1}"u8.ToArray(), SocketFlags.None, TestContext.Current.CancellationToken);

            // The bridge is waiting for the rest of the body when the caller's end comes.
            await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
            if (halfClose)
            {
                using var stream = new NetworkStream(socket);
                socket.Shutdown(SocketShutdown.Send);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                // The caller's end of sending ends the request (Kestrel takes it for the caller's end): no answer.
                int read = await ReadOrResetAsync(stream, timeout.Token);
                Assert.Equal(0, read);
            }
        }

        // Kestrel logged its warning when it went on to read the connection after the request ended.
        (int after, _) = await host.PostAsync(Requests.ExistsProvision);
        Assert.Equal(200, after);
        AssertQuietLog(host.Logs);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Id == 3012);
    }

    private static async Task<int> ReadOrResetAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(new byte[256], cancellationToken);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static void AssertQuietLog(FakeLogCollector logs)
    {
        foreach (FakeLogRecord record in logs.GetSnapshot())
        {
            Assert.True(record.Level <= LogLevel.Warning, $"{record.Level} {record.Category}: {record.Message}");
            Assert.True(record.Exception is null, $"a stack trace was logged: {record.Category}: {record.Message} {record.Exception}");
        }
    }
}
