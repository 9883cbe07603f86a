using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.BackOffice.Wire;

/// <summary>
/// Reads a token's "keys": each base64 string decoded from the answer's UTF-8 straight into bytes, without a UTF-16
/// string of the key (twice its text), so that an answer at the protocol's largest fits under the unit's heap limit.
/// A string that is not base64 of at most 64 KiB, or null, becomes null (the mapper refuses the answer and says
/// why); anything but an array of strings is not a Provisioning, and reading stops at a 17th key
/// (<see cref="ProvisioningLimitException"/>).
/// </summary>
internal sealed class Base64KeysConverter : JsonConverter<List<byte[]?>>
{
    public override List<byte[]?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("keys is not an array");
        }

        var keys = new List<byte[]?>();
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (keys.Count == ProvisioningRules.MaxKeysPerLabel)
                {
                    throw new ProvisioningLimitException($"a label has more than {ProvisioningRules.MaxKeysPerLabel} keys");
                }

                keys.Add(reader.TokenType switch
                {
                    JsonTokenType.String => Decode(ref reader),
                    JsonTokenType.Null => null,
                    _ => throw new JsonException("a key is not a string"),
                });
            }
        }
        catch (JsonException)
        {
            // The answer is refused: the keys decoded so far are wiped, as the mapper wipes those of a refused answer.
            foreach (byte[]? key in keys)
            {
                CryptographicOperations.ZeroMemory(key);
            }

            throw;
        }

        return keys;
    }

    public override void Write(Utf8JsonWriter writer, List<byte[]?> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("The daemon only reads answers.");

    private static byte[]? Decode(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return ProvisioningRules.DecodeKey(reader.ValueSpan);
        }

        byte[] unescaped = new byte[reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length];
        try
        {
            return ProvisioningRules.DecodeKey(unescaped.AsSpan(0, reader.CopyString(unescaped)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(unescaped);
        }
    }
}
