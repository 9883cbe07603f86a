namespace Provisioning.Bench.Api;

internal sealed record BenchOptions(
    Uri JsonRpc,
    string SocketPath,
    Uri BackOffice,
    string DeviceId,
    string StateDirectory,
    int Repeats,
    int Subscribers,
    int StormCalls);
