using System.Net.Sockets;
using System.Text;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// Oversized input in the native client's unmasked frames, over a real socket: refused as the masked case is
/// (close 1009), a 64-bit length with its top bit set refused as a protocol error (close 1002) at once and without
/// anything sized by the claim, and the daemon answers the next caller either way.
/// </summary>
public sealed class UnmaskedOversizeTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    private const int MaxBodyBytes = 64 * 1024;
    private const int MessageTooBig = 1009;
    private const int ProtocolError = 1002;

    private BridgeHost Host => fixture.Host;

    [Fact]
    public async Task OneUnmaskedTextFrameOverMaxBodyBytes_Closed1009_NextConnectionAnswered()
    {
        await using (RawWebSocket socket = await OpenNativeAsync())
        {
            byte[] payload = new byte[MaxBodyBytes + 1];
            payload.AsSpan().Fill((byte)' ');
            await socket.SendFrameAsync(WebSocketFrame.Text, payload);

            Assert.Equal(MessageTooBig, (await CloseFrameAsync(socket)).CloseStatus);
        }

        await AssertAnswersANewNativeClientAsync();
    }

    [Fact]
    public async Task UnmaskedMessageInTextAndContinuationFramesOverMaxBodyBytes_Closed1009_NextConnectionAnswered()
    {
        await using (ThunderNativeClient client = await ThunderNativeClient.ConnectAsync(Host.BaseAddress))
        {
            // Each 248-byte frame is far under the limit; only their sum exceeds it.
            string message = client.Message("Provisioning.1.exists", $$"""{"method":"provision","pad":"{{new string('x', MaxBodyBytes)}}"}""", out _);
            await client.SendAsync(message);

            Assert.Equal(MessageTooBig, (await CloseFrameAsync(client.Socket)).CloseStatus);
        }

        await AssertAnswersANewNativeClientAsync();
    }

    [Theory]
    [InlineData(0x81, false)]
    [InlineData(0x82, true)]
    [InlineData(0x01, false)] // the first of a fragmented message
    public async Task FrameAnnouncingMoreThanMaxBodyBytes_Closed1009OnItsHeader_BeforeAnyPayload(byte finAndOpcode, bool masked)
    {
        await using RawWebSocket socket = await OpenNativeAsync();
        byte[] length = [0, 0, 0, 0xe8, 0xd4, 0xa5, 0x10, 0x00]; // 10^12 bytes, none of which will come
        byte[] header = masked ? [finAndOpcode, 0x80 | 127, .. length, 1, 2, 3, 4] : [finAndOpcode, 127, .. length];
        await socket.SendRawAsync(header);

        // Before, the bridge waited for 64 KiB of payload first, and a peer that sent none held the connection.
        WebSocketFrame close = await socket.ReceiveFrameAsync(WebSocketSession.CloseGrace / 2) ?? throw new IOException("no close frame");
        Assert.Equal(MessageTooBig, close.CloseStatus);
        await AssertAnswersANewNativeClientAsync();
    }

    [Theory]
    [InlineData(0x81, 0x80, false)]
    [InlineData(0x81, 0xff, false)]
    [InlineData(0x81, 0x80, true)]
    [InlineData(0x88, 0x80, false)]
    public async Task Frame64BitLengthWithTopBitSet_Closed1002AtOnce_OthersAnswered(byte finAndOpcode, byte firstLengthByte, bool masked)
    {
        await using ThunderNativeClient bystander = await ThunderNativeClient.ConnectAsync(Host.BaseAddress);
        await using RawWebSocket socket = await OpenNativeAsync();
        byte[] length = [firstLengthByte, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        byte[] header = masked ? [finAndOpcode, 0x80 | 127, .. length, 1, 2, 3, 4] : [finAndOpcode, 127, .. length];
        await socket.SendRawAsync(header);
        await socket.SendRawAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.id"}"""));

        WebSocketFrame close = await CloseFrameAsync(socket);
        Assert.Equal(ProtocolError, close.CloseStatus);

        // A peer that answers the close as RFC 6455 asks sees the connection end, not held for the close grace. (Its
        // answer may come after the bridge's pause has ended the drain: then the bridge's kernel resets the connection,
        // which ends it as well.)
        await socket.SendRawAsync(new byte[] { 0x88, 0x02, 0x03, 0xe8 });
        try
        {
            Assert.Null(await socket.ReceiveFrameAsync(WebSocketSession.CloseGrace / 2));
        }
        catch (IOException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
        }

        Assert.Equal($$"""{"jsonrpc":"2.0","id":1,"result":"{{BridgeHost.DeviceId}}"}""", await bystander.InvokeAsync("Provisioning.1.id"));
    }

    private Task<RawWebSocket> OpenNativeAsync() =>
        RawWebSocket.OpenAsync(Host.BaseAddress, ThunderNativeClient.UpgradeRequest(RawWebSocket.NewKey()));

    /// <summary>The bridge's close frame, past any answers before it.</summary>
    private static async Task<WebSocketFrame> CloseFrameAsync(RawWebSocket socket)
    {
        while (true)
        {
            WebSocketFrame frame = await socket.ReceiveFrameAsync() ?? throw new IOException("the bridge ended the connection without a close frame");
            if (frame.Opcode == WebSocketFrame.Close)
            {
                return frame;
            }
        }
    }

    private async Task AssertAnswersANewNativeClientAsync()
    {
        await using ThunderNativeClient next = await ThunderNativeClient.ConnectAsync(Host.BaseAddress);
        Assert.Equal($$"""{"jsonrpc":"2.0","id":1,"result":"{{BridgeHost.DeviceId}}"}""", await next.InvokeAsync("Provisioning.1.id"));
    }
}
