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
/// Reads an API call's request message before gRPC does and refuses one that does not parse as the method's request
/// type (a truncated field, a negative length, a string that is not UTF-8) with INVALID_ARGUMENT and a BadRequest
/// naming the request; gRPC itself would answer UNKNOWN and log the parser's exception as a fault, once per call a
/// caller sends. The message stays in the request's pipe for gRPC to read. What is not one whole uncompressed message
/// of at most <see cref="GrpcApiExtensions.MaxRequestMessageBytes"/> is left to gRPC, which refuses it itself.
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
            if (read.IsCompleted || read.IsCanceled || read.Buffer.Length > PrefixLength + GrpcApiExtensions.MaxRequestMessageBytes)
            {
                break;
            }

            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        bool parses = !IsOneWholeMessage(read.Buffer) || Parses(requestType.Parser, read.Buffer.Slice(PrefixLength));
        body.AdvanceTo(read.Buffer.Start);
        if (parses)
        {
            await next(context);
            return;
        }

        await RefuseAsync(context.Response, GrpcErrors.InvalidArgument("request", $"The request is not a valid {requestType.FullName} message."));
    }

    /// <summary>An uncompressed message whose length prefix covers exactly the rest of what was sent.</summary>
    private static bool IsOneWholeMessage(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < PrefixLength)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        return prefix[0] == 0 && BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]) == buffer.Length - PrefixLength;
    }

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
