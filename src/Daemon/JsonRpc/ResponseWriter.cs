using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>Writes responses and notifications in Thunder's member order: jsonrpc, id, result or error.</summary>
internal static class ResponseWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,

        // Thunder writes ids and messages unescaped; the relaxed encoder keeps them byte for byte (still valid JSON).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    public static JsonRpcReply Error(uint? id, JsonRpcError error) => Write(id, CallResult.Fail(error));

    public static JsonRpcReply Write(uint? id, CallResult result)
    {
        Utf8JsonWriter writer = Rent(out ArrayBufferWriter<byte> buffer);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        if (id is { } value)
        {
            writer.WriteNumber("id"u8, value);
        }
        else
        {
            writer.WriteNull("id"u8);
        }

        if (result.Error is { } error)
        {
            writer.WriteStartObject("error"u8);
            writer.WriteNumber("code"u8, error.Code);
            writer.WriteString("message"u8, error.Message);
            if (error.Data is not null)
            {
                writer.WriteString("data"u8, error.Data);
            }

            writer.WriteEndObject();
        }
        else
        {
            writer.WritePropertyName("result"u8);
            WriteValue(writer, result);
        }

        writer.WriteEndObject();
        writer.Flush();
        return new JsonRpcReply(buffer.WrittenSpan.ToArray(), result.Error is not null);
    }

    /// <summary>The bytes up to the params of <c>{"jsonrpc":"2.0","method":"&lt;id&gt;.&lt;event&gt;","params":</c>.</summary>
    public static byte[] NotificationPrefix(string id, string eventName)
    {
        Utf8JsonWriter writer = Rent(out ArrayBufferWriter<byte> buffer);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WriteString("method"u8, string.Concat(id, ".", eventName));
        writer.WritePropertyName("params"u8);
        writer.Flush();

        // SkipValidation lets the writer stop mid-object; the separator before params is already written.
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] StatusParams(int status)
    {
        Utf8JsonWriter writer = Rent(out ArrayBufferWriter<byte> buffer);
        writer.WriteStartObject();
        writer.WriteNumber("status"u8, status);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The Controller's statechange params: <c>{"callsign":"Provisioning","state":"Deactivated","reason":"Requested"}</c>.</summary>
    public static byte[] PluginStateParams(string callsign, string state)
    {
        Utf8JsonWriter writer = Rent(out ArrayBufferWriter<byte> buffer);
        writer.WriteStartObject();
        writer.WriteString("callsign"u8, callsign);
        writer.WriteString("state"u8, state);
        writer.WriteString("reason"u8, "Requested"u8);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, CallResult result)
    {
        switch (result.Value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case StateResult state:
                JsonSerializer.Serialize(writer, state, JsonRpcJsonContext.Default.StateResult);
                break;
            case PluginStatus[] plugins:
                JsonSerializer.Serialize(writer, plugins, JsonRpcJsonContext.Default.PluginStatusArray);
                break;
            default:
                throw new InvalidOperationException("Unsupported result type.");
        }
    }

    private static Utf8JsonWriter Rent(out ArrayBufferWriter<byte> buffer)
    {
        buffer = _threadBuffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        if (_threadWriter is null)
        {
            _threadWriter = new Utf8JsonWriter(buffer, WriterOptions);
        }
        else
        {
            _threadWriter.Reset(buffer);
        }

        return _threadWriter;
    }
}
