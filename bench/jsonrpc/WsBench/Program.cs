using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

// Sequential JSON-RPC calls over one WebSocket: send one request, wait for its answer, repeat.
// Usage: wsbench [ws://127.0.0.1:9998/jsonrpc] [seconds=20] [warmup-seconds=3] [--native]
// --native speaks as Thunder's native C++ client: its upgrade bytes and unmasked frames (see NativeSocket.cs);
// without it the client is .NET's ClientWebSocket, which masks every frame as browsers do.
string[] positional = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
bool native = args.Contains("--native");
Uri uri = new(positional.Length > 0 ? positional[0] : "ws://127.0.0.1:9998/jsonrpc");
double seconds = positional.Length > 1 ? double.Parse(positional[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
double warmup = positional.Length > 2 ? double.Parse(positional[2], System.Globalization.CultureInfo.InvariantCulture) : 3;

byte[] request = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.state"}""");
byte[] buffer = new byte[64 * 1024];
Func<Task<bool>> call;
Func<Task> close;
if (native)
{
    NativeSocket socket;
    try
    {
        socket = await NativeSocket.ConnectAsync(uri);
    }
    catch (IOException exception)
    {
        Console.WriteLine($"native (unmasked): {exception.Message.Split('\r')[0]}");
        return 1;
    }

    call = async () =>
    {
        await socket.SendUnmaskedAsync(request);
        int count = await socket.ReceiveMessageAsync(buffer);
        return buffer.AsSpan(0, count).IndexOf("\"result\""u8) >= 0;
    };
    close = socket.CloseAsync;
}
else
{
    var socket = new ClientWebSocket();
    socket.Options.AddSubProtocol("json");
    await socket.ConnectAsync(uri, CancellationToken.None);
    call = async () =>
    {
        await socket.SendAsync(request, WebSocketMessageType.Text, true, CancellationToken.None);
        int count = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
            count += result.Count;
            if (result.EndOfMessage)
            {
                return buffer.AsSpan(0, count).IndexOf("\"result\""u8) >= 0;
            }
        }
    };
    close = () => socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
}

var warm = Stopwatch.StartNew();
while (warm.Elapsed.TotalSeconds < warmup)
{
    await call();
}

List<double> latencies = new(1_000_000);
int failures = 0;
var total = Stopwatch.StartNew();
while (total.Elapsed.TotalSeconds < seconds)
{
    long start = Stopwatch.GetTimestamp();
    if (!await call())
    {
        failures++;
    }

    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
}

total.Stop();
latencies.Sort();
double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
Console.WriteLine(
    $"{(native ? "native (unmasked)" : "ClientWebSocket (masked)")}: requests {latencies.Count} in {total.Elapsed.TotalSeconds:F1}s: {latencies.Count / total.Elapsed.TotalSeconds:F0} req/s, " +
    $"p50 {Percentile(0.50):F3} ms, p99 {Percentile(0.99):F3} ms, max {latencies[^1]:F3} ms, errors {failures}");
await close();
return 0;
