using System.Text.Json;
using System.Text.Unicode;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Fuzz;

/// <summary>
/// A JSON-RPC request body through what reads it before any method runs: <see cref="EnvelopeReader"/> (id, method,
/// the params slice, depth), <see cref="Designator"/> and <see cref="ParamsReader"/>, then the answer's serialization.
/// The envelope's verdict is checked against System.Text.Json's own parser, and the answer must parse back to the
/// same id and method.
/// </summary>
public sealed class JsonRpcRequestTarget : FuzzTarget
{
    private static readonly int MaxDepth = new JsonRpcOptions().MaxDepth;

    public override string Name => "jsonrpc";

    protected override bool Feed(ReadOnlySpan<byte> input)
    {
        RequestEnvelope envelope = EnvelopeReader.Read(input, MaxDepth);
        CheckAgainstDocument(input, envelope);

        if (envelope.Status == EnvelopeStatus.Valid)
        {
            FuzzFindingException.Check(
                envelope.ParamsStart >= 0 && envelope.ParamsLength >= 0 && envelope.ParamsStart + envelope.ParamsLength <= input.Length,
                $"params slice {envelope.ParamsStart}+{envelope.ParamsLength} outside a body of {input.Length} bytes");
            _ = Designator.Parse(envelope.Method!);
            ReadOnlySpan<byte> parameters = envelope.Params(input);
            CheckIsOneValue(parameters);
            if (ParamsReader.ReadObject(parameters) is { } members)
            {
                foreach (ParamMember member in members)
                {
                    FuzzFindingException.Check(ParamsReader.Find(members, member.Name) is not null, $"params member '{member.Name}' read but not found");
                }
            }
        }

        CheckAnswerRoundTrip(envelope);
        return envelope.Status == EnvelopeStatus.Valid;
    }

    /// <summary>The reader agrees with JsonDocument on what is JSON, what is an object and how deep it nests.</summary>
    private static void CheckAgainstDocument(ReadOnlySpan<byte> input, RequestEnvelope envelope)
    {
        if (envelope.Status == EnvelopeStatus.TooDeep)
        {
            // The reader stops at the first level too deep; the rest of the body is not looked at.
            return;
        }

        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(input.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth + 2 });
        }
        catch (JsonException)
        {
        }

        using (document)
        {
            bool json = document is not null && Utf8.IsValid(input);
            if (envelope.Status != EnvelopeStatus.NotJson)
            {
                FuzzFindingException.Check(json, $"{envelope.Status} for a body JsonDocument refuses");
                bool tooDeep = Depth(document!.RootElement) > MaxDepth;
                FuzzFindingException.Check(!tooDeep, $"{envelope.Status} for a body nested deeper than {MaxDepth}");
                bool isObject = document.RootElement.ValueKind == JsonValueKind.Object;
                FuzzFindingException.Check(isObject == (envelope.Status != EnvelopeStatus.NotAnObject), $"{envelope.Status} for a root {document.RootElement.ValueKind}");
                return;
            }

            // Refused as not JSON although it is: only a string of the envelope that cannot be decoded (a lone surrogate) may do that.
            if (json && Depth(document!.RootElement) <= MaxDepth)
            {
                FuzzFindingException.Check(HasUndecodableMember(document.RootElement), "a JSON body refused as not JSON");
            }
        }
    }

    private static int Depth(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => 1 + element.EnumerateObject().Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => 1 + element.EnumerateArray().Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    // docs/thunder-jsonrpc.md: a lone surrogate escape ("\ud800", valid JSON syntax but no text) in any string of
    // the envelope, member names included, is -32700; inside params it is -32602.
    private static bool HasUndecodableMember(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (JsonProperty property in root.EnumerateObject())
        {
            try
            {
                if (property.Name != "params" && !Decodes(property.Value))
                {
                    return true;
                }
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Decodes(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    return element.EnumerateArray().All(Decodes);
                case JsonValueKind.Object:
                    return element.EnumerateObject().All(p => p.Name.Length >= 0 && Decodes(p.Value));
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A params slice is exactly one JSON value: what a member reader is handed.</summary>
    private static void CheckIsOneValue(ReadOnlySpan<byte> parameters)
    {
        if (parameters.IsEmpty)
        {
            return;
        }

        var reader = new Utf8JsonReader(parameters, new JsonReaderOptions { MaxDepth = MaxDepth + 2 });
        bool whole;
        try
        {
            whole = reader.Read() && reader.TrySkip() && reader.BytesConsumed == parameters.Length && !reader.Read();
        }
        catch (JsonException exception)
        {
            throw new FuzzFindingException("the params slice is not one JSON value", exception);
        }

        FuzzFindingException.Check(whole, "the params slice is not exactly one JSON value");
    }

    /// <summary>The answer to this request parses back to its id (null when there was none) and carries the method.</summary>
    private static void CheckAnswerRoundTrip(RequestEnvelope envelope)
    {
        CallResult result = envelope.Method is { } method ? CallResult.Of(method) : JsonRpcErrors.ParseError;
        JsonRpcReply reply = ResponseWriter.Write(envelope.Id, result);
        using JsonDocument answer = JsonDocument.Parse(reply.Body);
        JsonElement id = answer.RootElement.GetProperty("id");
        uint? readId = id.ValueKind == JsonValueKind.Null ? null : id.GetUInt32();
        FuzzFindingException.Check(readId == envelope.Id, $"the answer's id {readId} is not the request's {envelope.Id}");
        if (envelope.Method is not null)
        {
            FuzzFindingException.Check(answer.RootElement.GetProperty("result").GetString() == envelope.Method, "the answer does not carry the method back unchanged");
        }
    }
}
