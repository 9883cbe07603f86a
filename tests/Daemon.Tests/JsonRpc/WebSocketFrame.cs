using System.Buffers.Binary;
using System.Text;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>One WebSocket frame as it came off the wire.</summary>
internal sealed record WebSocketFrame(bool Fin, int Opcode, byte[] Payload)
{
    public const int Continuation = 0x0;
    public const int Text = 0x1;
    public const int Binary = 0x2;
    public const int Close = 0x8;
    public const int Ping = 0x9;
    public const int Pong = 0xA;

    public string PayloadText => Encoding.UTF8.GetString(Payload);

    /// <summary>The status code of a close frame; null when it carries none.</summary>
    public int? CloseStatus => Opcode == Close && Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : null;

    public override string ToString() => $"fin={Fin} opcode={Opcode} {(Opcode == Close ? "status " + CloseStatus : PayloadText)}";
}
