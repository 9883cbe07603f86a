using System.Globalization;
using Provisioning.Bench.Api;

// Provisioning latency against its floor, fan-out of one change to many subscribers, and a storm of
// concurrent provision calls over both APIs, against a running daemon and its back office.
// Usage: apibench --jsonrpc http://127.0.0.1:9998 --socket PATH --backoffice http://127.0.0.1:18080/
//                 --device WPE... --state-dir DIR [--repeats 20] [--subscribers 1000] [--storm 1000]
// With --chaos SECONDS --daemon-pid PID [--seed 1] --retry-base SECONDS --retry-max SECONDS (the daemon's
// BackOffice:Retry:BaseDelay and MaxDelay): the chaos bench alone.
var options = new BenchOptions(
    new Uri(Arg("--jsonrpc") ?? "http://127.0.0.1:9998"),
    Arg("--socket") ?? throw new ArgumentException("--socket PATH is required"),
    new Uri(Arg("--backoffice") ?? throw new ArgumentException("--backoffice URL is required")),
    Arg("--device") ?? throw new ArgumentException("--device ID is required"),
    Arg("--state-dir") ?? throw new ArgumentException("--state-dir DIR is required"),
    int.Parse(Arg("--repeats") ?? "20", CultureInfo.InvariantCulture),
    int.Parse(Arg("--subscribers") ?? "1000", CultureInfo.InvariantCulture),
    int.Parse(Arg("--storm") ?? "1000", CultureInfo.InvariantCulture));

Console.WriteLine("| measurement | figure | compared with | ratio |");
Console.WriteLine("|---|---:|---:|---:|");
if (Arg("--chaos") is { } chaosSeconds)
{
    await ChaosBench.RunAsync(options, new ChaosOptions(
        TimeSpan.FromSeconds(Seconds(chaosSeconds)),
        int.Parse(Arg("--daemon-pid") ?? throw new ArgumentException("--daemon-pid PID is required"), CultureInfo.InvariantCulture),
        int.Parse(Arg("--seed") ?? "1", CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(Seconds(Arg("--retry-base") ?? throw new ArgumentException("--retry-base SECONDS is required"))),
        TimeSpan.FromSeconds(Seconds(Arg("--retry-max") ?? throw new ArgumentException("--retry-max SECONDS is required")))));
    return 0;
}

await LatencyBench.RunAsync(options);
await FanOutBench.RunAsync(options);
await StormBench.RunAsync(options);
return 0;

static double Seconds(string text) => double.Parse(text, CultureInfo.InvariantCulture);

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
