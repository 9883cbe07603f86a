using Microsoft.Extensions.Logging.Testing;
using Provisioning.Daemon.Authorization;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Grpc;

/// <summary>Callers identified by SO_PEERCRED: provisioningctl run as another uid through setpriv.</summary>
public sealed class AuthorizationTests
{
    [RootFact]
    public async Task OtherUid_NoRule_MayReadStateButNotProvisionOrReadKeys()
    {
        await using GrpcTestDaemon daemon = await StartAsync([], services => services.AddFakeLogging());
        string keyFile = Path.Combine(daemon.Directory, "out", "netflix.key");

        var status = await OtherUserCli.RunAsync(daemon.Directory, "--socket", daemon.SocketPath, "status", "--json");
        var provision = await OtherUserCli.RunAsync(daemon.Directory, "--socket", daemon.SocketPath, "provision");
        var index = await OtherUserCli.RunAsync(daemon.Directory, "--socket", daemon.SocketPath, "index", "netflix", "1");
        var key = await OtherUserCli.RunAsync(daemon.Directory, "--socket", daemon.SocketPath, "key", "netflix", "--out", keyFile);

        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains(daemon.DeviceId, status.Output, StringComparison.Ordinal);
        Assert.Equal(5, provision.ExitCode);
        Assert.Contains("permission denied", provision.Error, StringComparison.Ordinal);
        Assert.Equal(5, index.ExitCode);
        Assert.Equal(5, key.ExitCode);
        Assert.False(File.Exists(keyFile));
        Assert.DoesNotContain(daemon.Engine.Current.Indexes, i => i.Value != 0);
        var refusals = daemon.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 5100).ToList();
        Assert.Equal(3, refusals.Count);
        Assert.All(refusals, r => Assert.Contains("over GrpcSocket for uid 65534 gid 65534 pid ", r.Message, StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Message.StartsWith("Refused GetKey", StringComparison.Ordinal) && r.Message.Contains("Authorization:Keys:netflix", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetKey_Allowed_LogsTheReaderButNeverTheKey()
    {
        await using GrpcTestDaemon daemon = await StartAsync(
            new() { ["Logging:LogLevel:Provisioning.Daemon.Grpc"] = "Information" },
            services => services.AddFakeLogging());
        string keyFile = Path.Combine(daemon.Directory, "out", "netflix.key");

        var (exitCode, _, _) = await Cli.CliRunner.RunAsync("key", "netflix", "--out", keyFile, "--socket", daemon.SocketPath);

        Assert.Equal(0, exitCode);
        byte[] key = await File.ReadAllBytesAsync(keyFile);
        var logs = daemon.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Id.Id == 2010 && r.Message.Contains("netflix", StringComparison.Ordinal));
        Assert.All(logs, r =>
        {
            Assert.DoesNotContain(Convert.ToBase64String(key), r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(key), r.Message, StringComparison.OrdinalIgnoreCase);
        });
    }

    [RootFact]
    public async Task OtherUid_NamedByRules_MayProvisionAndReadOnlyItsLabelsKey()
    {
        await using GrpcTestDaemon daemon = await StartAsync(new()
        {
            ["Authorization:Provision:Uids:0"] = "65534",
            ["Authorization:Keys:netflix:Gids:0"] = "65534",
        });
        string netflixFile = Path.Combine(daemon.Directory, "out", "netflix.key");
        string playreadyFile = Path.Combine(daemon.Directory, "out", "playready.key");

        var index = await OtherUserCli.RunAsync(daemon.Directory, "--socket", daemon.SocketPath, "index", "netflix", "3");
        var netflix = await OtherUserCli.RunAsync(daemon.Directory, "--socket", daemon.SocketPath, "key", "netflix", "--out", netflixFile);
        var playready = await OtherUserCli.RunAsync(daemon.Directory, "--socket", daemon.SocketPath, "key", "playready", "--out", playreadyFile);
        var provision = await OtherUserCli.RunAsync(daemon.Directory, "--socket", daemon.SocketPath, "provision", "--wait");

        Assert.True(index.ExitCode == 0, index.Error);
        Assert.True(netflix.ExitCode == 0, netflix.Error);
        Assert.Equal(daemon.IssuedKey("netflix", 3), await File.ReadAllBytesAsync(netflixFile));
        Assert.Equal(3, daemon.Engine.GetKey("netflix").Slot);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(netflixFile));
        Assert.Equal(5, playready.ExitCode);
        Assert.False(File.Exists(playreadyFile));
        Assert.True(provision.ExitCode == 0, provision.Error);
    }

    [Fact]
    public void CallerRule_RootOrNamedUidOrGidOrAToken_IsAllowed()
    {
        var rule = new CallerRule { Uids = [1000], Gids = [2000] };
        var withTokens = new CallerRule { Tokens = true };

        Assert.True(rule.Allows(new Caller(CallerTransport.GrpcSocket, 0, 0, 1)));
        Assert.True(rule.Allows(new Caller(CallerTransport.GrpcSocket, 1000, 5, 1)));
        Assert.True(rule.Allows(new Caller(CallerTransport.GrpcSocket, 5, 2000, 1)));
        Assert.False(rule.Allows(new Caller(CallerTransport.GrpcSocket, 5, 5, 1)));
        Assert.False(rule.Allows(Caller.Unknown(CallerTransport.JsonRpcTcp) with { HasValidToken = true }));
        Assert.True(withTokens.Allows(Caller.Unknown(CallerTransport.JsonRpcTcp) with { HasValidToken = true }));
        Assert.False(withTokens.Allows(Caller.Unknown(CallerTransport.JsonRpcTcp)));
        Assert.True(new CallerRule { Everyone = true }.Allows(Caller.Unknown(CallerTransport.JsonRpcTcp)));
    }

    [RootFact]
    public async Task OtherUid_NotInTheSocketsGroup_CannotOpenItAndIsToldSo()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);
        File.SetUnixFileMode(daemon.Directory, (UnixFileMode)0x1ED);

        var status = await OtherUserCli.RunAsync(daemon.Directory, "--socket", daemon.SocketPath, "status");

        Assert.Equal(5, status.ExitCode);
        Assert.Contains("not allowed to open", status.Error, StringComparison.Ordinal);
    }

    private static async Task<GrpcTestDaemon> StartAsync(Dictionary<string, string?> rules, Action<IServiceCollection>? configureServices = null)
    {
        // The socket's group is the other user's, so it can open the socket (mode 0660).
        rules["Grpc:SocketGroup"] = "65534";
        GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(settings: rules, configureServices: configureServices);
        string output = Path.Combine(daemon.Directory, "out");
        Directory.CreateDirectory(output);
        File.SetUnixFileMode(output, (UnixFileMode)0x1FF);
        return daemon;
    }
}
