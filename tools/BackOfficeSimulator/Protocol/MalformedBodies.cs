using System.Text;
using System.Text.Json;

namespace Provisioning.BackOfficeSimulator;

/// <summary>200 bodies that are not a valid Provisioning, each broken in exactly one way.</summary>
internal static class MalformedBodies
{
    public static byte[] Create(MalformedKind kind, ProvisioningBody valid)
    {
        List<(string Label, List<string> Keys)> tokens = [.. valid.Tokens.Select(t => (t.Label, t.Keys.Select(Convert.ToBase64String).ToList()))];
        switch (kind)
        {
            case MalformedKind.InvalidJson:
                byte[] whole = JsonSerializer.SerializeToUtf8Bytes(valid, SimulatorJson.Context.ProvisioningBody);
                return whole[..(whole.Length / 2)];
            case MalformedKind.NotAnObject:
                return Encoding.UTF8.GetBytes("[\"not\",\"a\",\"provisioning\"]");
            case MalformedKind.WrongId:
                return Write(OtherId(valid.Id), valid.Issued, valid.Expires, tokens);
            case MalformedKind.EmptyTokens:
                return Write(valid.Id, valid.Issued, valid.Expires, []);
            case MalformedKind.MissingTokens:
                return Write(valid.Id, valid.Issued, valid.Expires, null);
            case MalformedKind.BadKey:
                tokens[0].Keys[0] = "%%% not base64 %%%";
                return Write(valid.Id, valid.Issued, valid.Expires, tokens);
            case MalformedKind.BadLabel:
                tokens[0] = ("bad label!", tokens[0].Keys);
                return Write(valid.Id, valid.Issued, valid.Expires, tokens);
            case MalformedKind.DuplicateLabel:
                tokens.Add(tokens[0]);
                return Write(valid.Id, valid.Issued, valid.Expires, tokens);
            case MalformedKind.TooManyKeys:
                tokens[0] = (tokens[0].Label, [.. Enumerable.Repeat(tokens[0].Keys[0], ProtocolRules.MaxKeysPerLabel + 1)]);
                return Write(valid.Id, valid.Issued, valid.Expires, tokens);
            default:
                return Write(valid.Id, valid.Issued, valid.Issued.AddDays(-1), tokens);
        }
    }

    /// <summary>A provision ID that differs from <paramref name="id"/> in its last character.</summary>
    private static string OtherId(string id) =>
        id.Length == 0 ? "WPE0000000000000" : string.Concat(id.AsSpan(0, id.Length - 1), id[^1] == '0' ? "1" : "0");

    private static byte[] Write(string id, DateTime issued, DateTime? expires, List<(string Label, List<string> Keys)>? tokens)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = SimulatorJson.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("issued", issued);
            if (expires is { } value)
            {
                writer.WriteString("expires", value);
            }

            if (tokens is not null)
            {
                writer.WriteStartArray("tokens");
                foreach ((string label, List<string> keys) in tokens)
                {
                    writer.WriteStartObject();
                    writer.WriteString("label", label);
                    writer.WriteStartArray("keys");
                    keys.ForEach(writer.WriteStringValue);
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
