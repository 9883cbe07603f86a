using System.Text.Json;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>Reads a params object member by member, so a wrong member can be named in the error.</summary>
internal static class ParamsReader
{
    /// <summary>The members of a params object; null when params is not an object. Absent params are an empty object.</summary>
    public static List<ParamMember>? ReadObject(ReadOnlySpan<byte> json)
    {
        List<ParamMember> members = [];
        if (json.IsEmpty)
        {
            return members;
        }

        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                JsonTokenType kind = reader.TokenType;
                string? text = kind == JsonTokenType.String ? reader.GetString() : null;
                long? integer = kind == JsonTokenType.Number && reader.TryGetInt64(out long value) ? value : null;
                if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }

                members.Add(new ParamMember(name, kind, text, integer));
            }
        }
        catch (InvalidOperationException)
        {
            // A name or string that cannot be decoded (a lone surrogate escape): not usable params.
            return null;
        }

        return members;
    }

    /// <summary>
    /// Whether params hold a name or string anywhere, nested ones included, that cannot be decoded (a lone surrogate
    /// escape such as "\ud800"): such params are refused whichever method they go to, whether it reads them or not.
    /// </summary>
    public static bool HasUndecodableString(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            return true;
        }

        return false;
    }

    public static ParamMember? Find(List<ParamMember> members, string name)
    {
        // The last occurrence wins, as in System.Text.Json's own deserialization.
        for (int i = members.Count - 1; i >= 0; i--)
        {
            if (members[i].Name == name)
            {
                return members[i];
            }
        }

        return null;
    }
}
