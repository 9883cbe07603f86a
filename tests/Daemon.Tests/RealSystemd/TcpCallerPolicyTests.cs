using Provisioning.Daemon.Tests.JsonRpc;

namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>
/// The policy's TCP caller lookup (/proc/net/tcp) under the shipped unit's sandbox (ProtectProc=invisible, its own
/// user) and the shipped default policy: a JSON-RPC caller on loopback TCP is told apart by its uid.
/// </summary>
[Collection(RealSystemdDevice.Name)]
public sealed class TcpCallerPolicyTests(RealSystemdFixture device)
{
    private const string OtherUid = "65534";
    private const string Bridge = "http://127.0.0.1:9998/jsonrpc";
    private const string Provision = """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.provision"}""";
    private const string State = """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.state"}""";

    [RealSystemdFact]
    public async Task JsonRpcOverTcp_AnotherUidIsRefusedProvision_ReadsState_RootMayProvision()
    {
        await device.ResetAsync();
        await device.WaitUntilAsync(async () => await device.ShowAsync("StatusText") == "provisioned, 3 labels", "provisioned");

        Assert.Equal(Requests.Error(-32604, "method invokation not allowed."), await CallAsOtherUidAsync(Provision));
        Assert.Contains("\"result\":", await CallAsOtherUidAsync(State), StringComparison.Ordinal);
        Assert.Equal(Requests.Result("null"), await device.Container.RunCheckedAsync("curl", "-s", "--max-time", "5", "-d", Provision, Bridge));

        List<JournalEntry> journal = await device.JournalAsync();
        JournalEntry refusal = Assert.Single(journal, e => e.Message.Contains("[5100]", StringComparison.Ordinal));
        Assert.Contains($"Refused Provisioning.1.provision over JsonRpcTcp for uid {OtherUid} ", refusal.Message, StringComparison.Ordinal);
    }

    /// <summary>curl inside the container as a uid that is neither root nor the daemon's, with no groups.</summary>
    private Task<string> CallAsOtherUidAsync(string body) => device.Container.RunCheckedAsync(
        "setpriv", $"--reuid={OtherUid}", $"--regid={OtherUid}", "--clear-groups", "curl", "-s", "--max-time", "5", "-d", body, Bridge);
}
