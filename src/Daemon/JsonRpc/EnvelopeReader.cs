using System.Buffers.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// Finds id, method and the params slice in one forward pass of Utf8JsonReader, without a DOM,
/// validating the whole body and refusing it as soon as it nests deeper than the limit.
/// </summary>
internal static class EnvelopeReader
{
    private enum Member
    {
        Other,
        Id,
        Method,
        Params,
    }

    public static RequestEnvelope Read(ReadOnlySpan<byte> body, int maxDepth)
    {
        // The reader checks UTF-8 only in values it decodes; JSON text must be UTF-8 throughout.
        if (!Utf8.IsValid(body))
        {
            return new RequestEnvelope(EnvelopeStatus.NotJson, null, null, 0, 0);
        }

        // The reader's own limit sits above ours so that depth is reported as -32600, not as a parse error.
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth + 2 });
        uint? id = null;
        bool idValid = true;
        string? method = null;
        int paramsStart = 0;
        int paramsLength = 0;
        int paramsDepth = -1;
        Member pending = Member.Other;
        bool rootIsObject = false;
        try
        {
            while (reader.Read())
            {
                JsonTokenType token = reader.TokenType;
                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    if (reader.CurrentDepth >= maxDepth)
                    {
                        return new RequestEnvelope(EnvelopeStatus.TooDeep, null, null, 0, 0);
                    }

                    if (reader.CurrentDepth == 0)
                    {
                        rootIsObject = token == JsonTokenType.StartObject;
                        continue;
                    }
                }

                if (reader.CurrentDepth == 1 && token == JsonTokenType.PropertyName)
                {
                    pending = reader.ValueTextEquals("id"u8) ? Member.Id
                        : reader.ValueTextEquals("method"u8) ? Member.Method
                        : reader.ValueTextEquals("params"u8) ? Member.Params
                        : Member.Other;
                    continue;
                }

                if (pending != Member.Other && reader.CurrentDepth == 1 && token is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
                {
                    switch (pending)
                    {
                        case Member.Id:
                            id = ReadId(ref reader, out bool valid);
                            idValid = valid;
                            break;
                        case Member.Method:
                            method = token == JsonTokenType.String ? reader.GetString() : null;
                            break;
                        case Member.Params:
                            paramsStart = (int)reader.TokenStartIndex;
                            paramsLength = 0;
                            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                            {
                                paramsDepth = reader.CurrentDepth;
                            }
                            else if (token != JsonTokenType.Null)
                            {
                                paramsLength = (int)reader.BytesConsumed - paramsStart;
                            }

                            break;
                    }

                    pending = Member.Other;
                    continue;
                }

                if (paramsDepth >= 0 && reader.CurrentDepth == paramsDepth && token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    paramsLength = (int)reader.BytesConsumed - paramsStart;
                    paramsDepth = -1;
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that cannot be decoded, such as a lone surrogate escape ("\ud800").
            return new RequestEnvelope(EnvelopeStatus.NotJson, null, null, 0, 0);
        }

        if (reader.BytesConsumed == 0)
        {
            return new RequestEnvelope(EnvelopeStatus.NotJson, null, null, 0, 0);
        }

        if (!rootIsObject)
        {
            return new RequestEnvelope(EnvelopeStatus.NotAnObject, null, null, 0, 0);
        }

        if (!idValid)
        {
            return new RequestEnvelope(EnvelopeStatus.InvalidId, null, null, 0, 0);
        }

        return method is null
            ? new RequestEnvelope(EnvelopeStatus.NoMethod, id, null, 0, 0)
            : new RequestEnvelope(EnvelopeStatus.Valid, id, method, paramsStart, paramsLength);
    }

    // Thunder's id is an unsigned 32-bit number; a string of digits is taken as that number.
    private static uint? ReadId(ref Utf8JsonReader reader, out bool valid)
    {
        valid = false;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetUInt32(out uint number))
                {
                    valid = true;
                    return number;
                }

                // A whole number written otherwise (1e2, 4.0, -0) is still an unsigned 32-bit id.
                if (reader.TryGetDouble(out double value) && value >= 0 && value <= uint.MaxValue && value == Math.Floor(value))
                {
                    valid = true;
                    return (uint)value;
                }

                return null;
            case JsonTokenType.String:
                ReadOnlySpan<byte> text = reader.ValueIsEscaped || reader.HasValueSequence ? default : reader.ValueSpan;
                if (text.Length is > 0 and <= 10 && IsDigits(text) && Utf8Parser.TryParse(text, out uint parsed, out int consumed) && consumed == text.Length)
                {
                    valid = true;
                    return parsed;
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsDigits(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }
}
