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
                if (reader.ValueIsEscaped && token is JsonTokenType.String or JsonTokenType.PropertyName
                    && paramsDepth < 0 && !(pending == Member.Params && reader.CurrentDepth == 1))
                {
                    // Every string of the envelope (params aside: -32602 there) must decode; a lone surrogate
                    // escape throws InvalidOperationException, which makes the body -32700.
                    _ = reader.GetString();
                }

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
                if (reader.TryGetUInt32(out uint number) || TryWholeNumber(reader.ValueSpan, out number))
                {
                    valid = true;
                    return number;
                }

                return null;
            case JsonTokenType.String:
                // Escapes decoded ("\u0034\u0033" is "43"); a lone surrogate escape throws (-32700).
                byte[]? decoded = reader.ValueIsEscaped ? new byte[reader.ValueSpan.Length] : null;
                ReadOnlySpan<byte> text = decoded is null ? reader.ValueSpan : decoded.AsSpan(0, reader.CopyString(decoded));
                if (TryDigits(text, out uint parsed))
                {
                    valid = true;
                    return parsed;
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// A JSON number that is a whole number from 0 to 2^32-1 in any notation (1e2, 4.0, 42.000, -0), decided on
    /// its decimal digits, never through a double: 42.0000000000000000000000001 and 1e-400 are fractions.
    /// </summary>
    internal static bool TryWholeNumber(ReadOnlySpan<byte> json, out uint value)
    {
        value = 0;
        int i = 0;
        bool negative = json.Length > 0 && json[0] == '-';
        i += negative ? 1 : 0;

        // The significant digits, and how many of them stand before the decimal point.
        Span<byte> digits = stackalloc byte[11];
        int count = 0;
        long point = 0;
        bool fraction = false, beyond = false;
        for (; i < json.Length && json[i] is (byte)'.' or (>= (byte)'0' and <= (byte)'9'); i++)
        {
            if (json[i] == '.')
            {
                fraction = true;
                continue;
            }

            if (count == 0 && json[i] == '0')
            {
                point -= fraction ? 1 : 0; // a leading zero after the point moves the first digit right
                continue;
            }

            point += fraction ? 0 : 1;
            if (count < digits.Length)
            {
                digits[count++] = json[i];
            }
            else if (json[i] != '0')
            {
                beyond = true; // more than 11 significant digits: out of range, or a fraction
            }
        }

        if (i < json.Length)
        {
            // The exponent: e or E, a sign, digits. Clamped past the number's own length plus the 11 digits of an
            // id: the digits can move the point by no more than their count, so a larger exponent decides the same.
            int sign = json[i + 1] == '-' ? -1 : 1;
            long exponent = 0, clamp = json.Length + 11L;
            for (i += json[i + 1] is (byte)'-' or (byte)'+' ? 2 : 1; i < json.Length; i++)
            {
                exponent = Math.Min((exponent * 10) + (json[i] - '0'), clamp);
            }

            point += sign * exponent;
        }

        while (count > 0 && digits[count - 1] == '0')
        {
            count--;
        }

        if (count == 0 && !beyond)
        {
            return true; // zero, -0 included
        }

        if (negative || beyond || count > point || point > 10)
        {
            return false;
        }

        ulong whole = 0;
        for (int d = 0; d < point; d++)
        {
            whole = (whole * 10) + (ulong)(d < count ? digits[d] - '0' : 0);
        }

        value = (uint)whole;
        return whole <= uint.MaxValue;
    }

    /// <summary>Digits only ("043", "00000000000000000000043"): the number, when it fits in 32 bits.</summary>
    private static bool TryDigits(ReadOnlySpan<byte> text, out uint value)
    {
        value = 0;
        if (text.IsEmpty || text.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return false;
        }

        ReadOnlySpan<byte> significant = text.TrimStart((byte)'0');
        return significant.IsEmpty
            || (significant.Length <= 10 && Utf8Parser.TryParse(significant, out value, out int consumed) && consumed == significant.Length);
    }
}
