using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Tests.Fuzz;

/// <summary>Any request a client can write (any id, any method text, any params, escaped or not) is read back exactly.</summary>
public sealed class JsonRpcRoundTripTests
{
    private static readonly int MaxDepth = new JsonRpcOptions().MaxDepth;

    // Any Unicode scalar (no lone surrogates: those are not text), biased to ASCII, the designator's separators and quotes.
    private static readonly Gen<string> Text = Gen.Frequency(
        (4, Gen.Char["abcXYZ019.@_-\"\\/ "].Select(c => (int)c)),
        (2, Gen.Int[0, 0x7f]),
        (1, Gen.Int[0x80, 0xd7ff]),
        (1, Gen.Int[0xe000, 0x10ffff]))
        .Array[0, 24]
        .Select(scalars => string.Concat(scalars.Select(s => char.ConvertFromUtf32(s))));

    private static readonly Gen<(string Name, JsonValueKind Kind, string? Text, long? Number)> Member = Gen.Select(
        Text,
        Gen.Int[0, 5],
        Text,
        Gen.Long,
        (name, kind, text, number) => kind switch
        {
            0 => (name, JsonValueKind.String, (string?)text, (long?)null),
            1 => (name, JsonValueKind.Number, null, number),
            2 => (name, JsonValueKind.True, null, null),
            3 => (name, JsonValueKind.Null, null, null),
            4 => (name, JsonValueKind.Array, null, null),
            _ => (name, JsonValueKind.Object, null, null),
        });

    private static readonly Gen<Request> Requests = Gen.Select(
        Gen.UInt.Array[0, 1],
        Gen.Bool,
        Text,
        Member.Array[0, 6],
        Gen.Bool,
        (id, idAsString, method, members, escapeAll) => new Request(id.Length == 0 ? null : id[0], idAsString, method, members, escapeAll));

    [Fact]
    public void AnyRequest_EnvelopeAndParamsReadBackExactly()
    {
        Requests.Sample(
            request =>
            {
                byte[] body = request.Write();

                RequestEnvelope envelope = EnvelopeReader.Read(body, MaxDepth);

                Assert.Equal(EnvelopeStatus.Valid, envelope.Status);
                Assert.Equal(request.Id, envelope.Id);
                Assert.Equal(request.Method, envelope.Method);
                List<ParamMember> read = ParamsReader.ReadObject(envelope.Params(body))!;
                Assert.Equal(request.Members.Length, read.Count);
                foreach (((string name, JsonValueKind kind, string? text, long? number), ParamMember member) in request.Members.Zip(read))
                {
                    Assert.Equal(name, member.Name);
                    Assert.Equal(text, member.Text);
                    Assert.Equal(number, member.Integer);
                    Assert.Equal(Token(kind), member.Kind);
                }
            },
            seed: Seeds.Readers,
            iter: 5_000);
    }

    [Fact]
    public void AnyAnswer_ParsesBackToItsIdAndValue()
    {
        Gen.Select(Gen.UInt.Array[0, 1], Text, Gen.Int, Text.Array[0, 1]).Sample(
            (id, text, code, data) =>
            {
                uint? requestId = id.Length == 0 ? null : id[0];

                using JsonDocument result = JsonDocument.Parse(ResponseWriter.Write(requestId, CallResult.Of(text)).Body);
                using JsonDocument error = JsonDocument.Parse(ResponseWriter.Error(requestId, new JsonRpcError(code, text, data.Length == 0 ? null : data[0])).Body);

                foreach (JsonDocument answer in new[] { result, error })
                {
                    Assert.Equal("2.0", answer.RootElement.GetProperty("jsonrpc").GetString());
                    JsonElement answerId = answer.RootElement.GetProperty("id");
                    Assert.Equal(requestId, answerId.ValueKind == JsonValueKind.Null ? null : answerId.GetUInt32());
                }

                Assert.Equal(text, result.RootElement.GetProperty("result").GetString());
                JsonElement errorObject = error.RootElement.GetProperty("error");
                Assert.Equal(code, errorObject.GetProperty("code").GetInt32());
                Assert.Equal(text, errorObject.GetProperty("message").GetString());
                Assert.Equal(data.Length == 0 ? null : data[0], errorObject.TryGetProperty("data", out JsonElement d) ? d.GetString() : null);
            },
            seed: Seeds.Readers,
            iter: 5_000);
    }

    private static JsonTokenType Token(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => JsonTokenType.String,
        JsonValueKind.Number => JsonTokenType.Number,
        JsonValueKind.True => JsonTokenType.True,
        JsonValueKind.Null => JsonTokenType.Null,
        JsonValueKind.Array => JsonTokenType.StartArray,
        _ => JsonTokenType.StartObject,
    };

    internal sealed record Request(uint? Id, bool IdAsString, string Method, (string Name, JsonValueKind Kind, string? Text, long? Number)[] Members, bool EscapeAll)
    {
        public byte[] Write()
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EscapeAll ? JavaScriptEncoder.Default : JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteString("jsonrpc", "2.0");
                if (Id is { } id)
                {
                    if (IdAsString)
                    {
                        writer.WriteString("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        writer.WriteNumber("id", id);
                    }
                }

                writer.WriteString("method", Method);
                writer.WriteStartObject("params");
                foreach ((string name, JsonValueKind kind, string? text, long? number) in Members)
                {
                    writer.WritePropertyName(name);
                    switch (kind)
                    {
                        case JsonValueKind.String:
                            writer.WriteStringValue(text);
                            break;
                        case JsonValueKind.Number:
                            writer.WriteNumberValue(number!.Value);
                            break;
                        case JsonValueKind.True:
                            writer.WriteBooleanValue(true);
                            break;
                        case JsonValueKind.Null:
                            writer.WriteNullValue();
                            break;
                        case JsonValueKind.Array:
                            writer.WriteStartArray();
                            writer.WriteStringValue(text);
                            writer.WriteStartObject();
                            writer.WriteEndObject();
                            writer.WriteEndArray();
                            break;
                        default:
                            writer.WriteStartObject();
                            writer.WriteNumber("n", 1);
                            writer.WriteEndObject();
                            break;
                    }
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            return [.. buffer.WrittenSpan];
        }

        public override string ToString() => Encoding.UTF8.GetString(Write());
    }
}
