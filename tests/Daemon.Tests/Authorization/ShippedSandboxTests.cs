using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Provisioning.Daemon.Tests.Deploy;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.JsonRpc;

namespace Provisioning.Daemon.Tests.Authorization;

/// <summary>
/// The TCP caller lookup under the shipped unit's sandbox: ProtectProc=invisible (a procfs of its own mounted with
/// hidepid=invisible), run as a user that is not root, no private network namespace.
/// </summary>
public sealed class ShippedSandboxTests : IDisposable
{
    private const uint DaemonUid = 4141;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ShippedUnit_KeepsWhatTheLookupNeeds()
    {
        string unit = File.ReadAllText(DeployFiles.Systemd("provisioningd.service"));
        string[] settings = [.. unit.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#')];

        // A private network namespace would hold none of the callers' sockets; ProcSubset=pid hides /proc/net.
        Assert.DoesNotContain(settings, l => l.StartsWith("PrivateNetwork=", StringComparison.Ordinal) && !l.EndsWith("=no", StringComparison.Ordinal));
        Assert.DoesNotContain(settings, l => l.StartsWith("ProcSubset=", StringComparison.Ordinal) && !l.EndsWith("=all", StringComparison.Ordinal));
        Assert.Contains("ProtectProc=invisible", settings);
        Assert.Contains(settings, l => l.StartsWith("RestrictAddressFamilies=", StringComparison.Ordinal) && l.Contains("AF_INET6", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task DaemonAsAnotherUser_UnderHidepidInvisible_IdentifiesTcpCallersOfOtherUids()
    {
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0x1FF);
        int port = LoopbackPort.Free();
        string uid = DaemonUid.ToString(CultureInfo.InvariantCulture);
        await using var daemon = DaemonProcess.Start(
            [
                "--Device:Id=WPE00000uCfrLF45", $"--State:Directory={_temp.Combine("state")}", $"--Grpc:SocketPath={_temp.Combine("p.sock")}",
                "--Grpc:SocketGroup=", $"--JsonRpc:Url=http://127.0.0.1:{port}", "--Boot:MaxDelay=1.00:00:00",
                $"--Authorization:Provision:Uids:0={PolicyCaller.NamedUid.Uid}",
            ],
            environment: new Dictionary<string, string> { ["HOME"] = _temp.Path },
            wrapper: ["unshare", "--mount", "sh", "-c",
                "mount -t proc -o hidepid=invisible proc /proc && exec setpriv --reuid=\"$0\" --regid=\"$0\" --clear-groups -- \"$@\"", uid]);
        await WaitUntilListeningAsync(port, daemon);

        Assert.Equal(Requests.Error(-32604, "method invokation not allowed."), await ProvisionAsAsync(PolicyCaller.Other, port));
        Assert.Equal(Requests.Error(2, "ERROR_UNAVAILABLE"), await ProvisionAsAsync(PolicyCaller.NamedUid, port));

        string refusal = await daemon.WaitForLineAsync(l => l.Contains("Refused Provisioning.1.provision", StringComparison.Ordinal));
        Assert.Contains("over JsonRpcTcp for uid 65534 ", refusal, StringComparison.Ordinal);
    }

    private static async Task<string> ProvisionAsAsync(PolicyCaller caller, int port)
    {
        await using OtherUserRelay relay = await OtherUserRelay.StartAsync(caller, $"TCP4:127.0.0.1:{port}");
        using HttpClient http = relay.CreateHttpClient();
        using var content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.provision"}""", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync("jsonrpc", content);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task WaitUntilListeningAsync(int port, DaemonProcess daemon)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("The daemon did not listen; it printed:\n" + string.Join('\n', daemon.Lines));
            }
        }
    }
}
