using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Globalization;
using System.IO.Pipelines;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using MessageDescriptor = Google.Protobuf.Reflection.MessageDescriptor;
using ProvisioningApi = Provisioning.Contracts.V1.Provisioning;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// Reads an API call's request before gRPC does and refuses what gRPC would answer with UNKNOWN or INTERNAL and log
/// as a fault, once per call a caller sends: a request of more than one message, or one that ends before its
/// message does, or a compressed flag other than 0 and 1, or an uncompressed message that does not parse as the
/// method's request type (a truncated field, a negative length, a string that is not UTF-8): INVALID_ARGUMENT and a
/// BadRequest naming the request. A length prefix over <see cref="GrpcApiExtensions.MaxRequestMessageBytes"/> is
/// RESOURCE_EXHAUSTED at once, unread (gRPC itself throws on a prefix of 2 GiB or more). Every method the API serves
/// takes exactly one message. The message stays in the request's pipe for gRPC to read; a compressed one is left to
/// gRPC, which decompresses it by its grpc-encoding and bounds the result.
/// </summary>
internal static class RequestMessageCheck
{
    private const int PrefixLength = 5;

    private static readonly FrozenDictionary<string, MessageDescriptor> RequestTypeByPath =
        ProvisioningApi.Descriptor.Methods.Concat(Health.Descriptor.Methods)
            .ToFrozenDictionary(method => GrpcOperations.Path(method.Service, method.Name), method => method.InputType, StringComparer.Ordinal);

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.Value is not { } path || !RequestTypeByPath.TryGetValue(path, out MessageDescriptor? requestType))
        {
            await next(context);
            return;
        }

        PipeReader body = context.Request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await body.ReadAsync(context.RequestAborted);
            if (read.IsCompleted || read.IsCanceled || read.Buffer.Length > PrefixLength + GrpcApiExtensions.MaxRequestMessageBytes
                || (TryReadPrefix(read.Buffer, out _, out uint length) && length > GrpcApiExtensions.MaxRequestMessageBytes))
            {
                break;
            }

            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        RpcException? refusal = Judge(read.Buffer, read.IsCompleted, requestType);
        body.AdvanceTo(read.Buffer.Start);
        if (refusal is null)
        {
            await next(context);
            return;
        }

        await RefuseAsync(context.Response, refusal);
    }

    /// <summary>Why the request is refused, or null: gRPC reads it (a request that was cut off is gRPC's to end).</summary>
    /// <param name="complete">The caller has ended the request: nothing follows what was read.</param>
    private static RpcException? Judge(ReadOnlySequence<byte> read, bool complete, MessageDescriptor requestType)
    {
        if (!TryReadPrefix(read, out byte compressed, out uint length))
        {
            return complete ? Invalid(requestType, "it ends before its message's length prefix") : null;
        }

        if (compressed > 1)
        {
            return Invalid(requestType, $"its compressed flag is {compressed}, not 0 or 1");
        }

        if (length > GrpcApiExtensions.MaxRequestMessageBytes)
        {
            return GrpcErrors.RequestTooLarge();
        }

        long rest = read.Length - PrefixLength;
        if (rest > length)
        {
            return Invalid(requestType, "it holds more than one message");
        }

        if (rest < length)
        {
            return complete ? Invalid(requestType, "it ends before the length its prefix gives") : null;
        }

        return compressed == 1 || Parses(requestType.Parser, read.Slice(PrefixLength)) ? null : Invalid(requestType, null);
    }

    private static bool TryReadPrefix(ReadOnlySequence<byte> read, out byte compressed, out uint length)
    {
        compressed = 0;
        length = 0;
        if (read.Length < PrefixLength)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        read.Slice(0, PrefixLength).CopyTo(prefix);
        compressed = prefix[0];
        length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        return true;
    }

    private static RpcException Invalid(MessageDescriptor requestType, string? why) =>
        GrpcErrors.InvalidArgument("request", why is null
            ? $"The request is not a valid {requestType.FullName} message."
            : $"The request is not a valid {requestType.FullName} message: {why}.");

    private static bool Parses(MessageParser parser, ReadOnlySequence<byte> message)
    {
        try
        {
            parser.ParseFrom(message);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }

    /// <summary>A gRPC answer of status and trailers alone, as gRPC writes one for an error.</summary>
    private static Task RefuseAsync(HttpResponse response, RpcException error)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.AppendTrailer("grpc-status", ((int)error.StatusCode).ToString(CultureInfo.InvariantCulture));
        response.AppendTrailer("grpc-message", error.Status.Detail);
        foreach (Metadata.Entry entry in error.Trailers)
        {
            response.AppendTrailer(entry.Key, entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value);
        }

        return response.CompleteAsync();
    }
}
