using System.Text.Json;
using System.Text.Json.Serialization;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.BackOffice.Wire;

/// <summary>
/// Reads a Provisioning's "tokens", at most <see cref="ProvisioningRules.MaxLabels"/> of them: one more ends the
/// reading (<see cref="ProvisioningLimitException"/>), and the keys read until then are wiped.
/// </summary>
internal sealed class TokensConverter : JsonConverter<List<TokenBody?>>
{
    public override List<TokenBody?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("tokens is not an array");
        }

        var tokens = new List<TokenBody?>();
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (tokens.Count == ProvisioningRules.MaxLabels)
                {
                    throw new ProvisioningLimitException($"tokens has more than {ProvisioningRules.MaxLabels} labels");
                }

                tokens.Add(JsonSerializer.Deserialize(ref reader, BackOfficeJsonContext.Default.TokenBody));
            }
        }
        catch (JsonException)
        {
            tokens.ForEach(token => token?.Wipe());
            throw;
        }

        return tokens;
    }

    public override void Write(Utf8JsonWriter writer, List<TokenBody?> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("The daemon only reads answers.");
}
