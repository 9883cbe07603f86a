using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections.Features;

namespace Provisioning.BackOfficeSimulator;

/// <summary>Carries out an injected fault.</summary>
internal static class FaultResponder
{
    /// <summary>
    /// Waits the fault's delay, then acts. Returns how the request ended, or null when the request is
    /// to be answered normally (Delay; Accepted, whose 202 the endpoint gives after validating).
    /// </summary>
    public static async Task<RequestOutcome?> ApplyAsync(SimulatorState state, HttpContext context, FaultSpec fault, Func<ProvisioningBody> validBody)
    {
        if (fault.DelayMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(fault.DelayMs), state.TimeProvider, context.RequestAborted);
        }

        switch (fault.Kind)
        {
            case FaultKind.Reset:
                Reset(context);
                return RequestOutcome.Reset;

            case FaultKind.Truncated:
                await TruncateAsync(context, JsonSerializer.SerializeToUtf8Bytes(validBody(), SimulatorJson.Context.ProvisioningBody));
                return RequestOutcome.Truncated;

            case FaultKind.Status:
                RetryAfterHeader.Apply(context, fault.RetryAfter, fault.RetryAfterFormat, state.TimeProvider);
                if (fault.Body is { } raw)
                {
                    await Responses.WriteRawAsync(context, fault.Status, Encoding.UTF8.GetBytes(raw));
                }
                else
                {
                    string message = fault.Message ?? $"injected fault: {fault.Status}";
                    await Responses.WriteErrorAsync(context, fault.Status, fault.Error ?? Responses.ErrorCodeFor(fault.Status), message);
                }

                return RequestOutcome.Answered;

            case FaultKind.Malformed:
                byte[] body = fault.Body is { } text ? Encoding.UTF8.GetBytes(text) : MalformedBodies.Create(fault.Malformed, validBody());
                await Responses.WriteRawAsync(context, StatusCodes.Status200OK, body);
                return RequestOutcome.Answered;

            default:
                return null;
        }
    }

    /// <summary>Aborts the connection; with linger 0 the kernel sends a TCP RST rather than a clean close.</summary>
    public static void Reset(HttpContext context)
    {
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is Socket socket)
        {
            socket.LingerState = new LingerOption(true, 0);
        }

        context.Abort();
    }

    /// <summary>
    /// Sends the status line, headers with the whole body's Content-Length, and half the body, then
    /// closes. The bytes go straight to the socket, followed by a FIN: through Kestrel's pipe, an abort
    /// can overtake them and the client would see a reset instead of a short body.
    /// </summary>
    private static async Task TruncateAsync(HttpContext context, byte[] whole)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is not Socket socket)
        {
            context.Response.ContentType = Responses.JsonContentType;
            context.Response.ContentLength = whole.Length;
            await context.Response.Body.WriteAsync(whole.AsMemory(0, whole.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }

        string head = $"HTTP/1.1 200 OK\r\nContent-Type: {Responses.JsonContentType}\r\nContent-Length: {whole.Length}\r\n\r\n";
        byte[] partial = [.. Encoding.ASCII.GetBytes(head), .. whole.AsSpan(0, whole.Length / 2)];
        await socket.SendAsync(partial, SocketFlags.None, context.RequestAborted);
        socket.Shutdown(SocketShutdown.Send);
        context.Abort();
    }
}
