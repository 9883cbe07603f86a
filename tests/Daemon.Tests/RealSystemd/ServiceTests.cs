using System.Text.RegularExpressions;
using Provisioning.Contracts.V1;

namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>provisioningd.service under this machine's systemd, installed by deploy/install.sh: what an integrator sees.</summary>
[Collection(RealSystemdDevice.Name)]
public sealed partial class ServiceTests(RealSystemdFixture device)
{
    private const string StateCall = """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.state"}""";

    [RealSystemdFact]
    public async Task Start_ActiveOnlyAfterTheStateIsRestoredAndBothListenersAnswer()
    {
        await device.ResetAsync();
        await device.WaitUntilAsync(async () => await device.ShowAsync("StatusText") == "provisioned, 3 labels", "provisioned");

        await device.Container.RunCheckedAsync("timeout", "60", "systemctl", "restart", RealSystemdFixture.Unit);

        // The first thing a unit ordered After= this one does: call it, with no retry. The restored labels
        // show the state was read before READY=1 (before it, the engine reports none).
        using var client = device.Client();
        Contracts.V1.State state = await client.GetStateAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, state.Tokens.Count);
        string answer = await device.Container.RunCheckedAsync("curl", "-s", "--max-time", "5", "-d", StateCall, "http://127.0.0.1:9998/jsonrpc");
        Assert.Contains("\"result\"", answer, StringComparison.Ordinal);

        // Journal times are when journald read a line, not when it was written: order is shown by the calls above.
        List<JournalEntry> journal = await device.JournalAsync();
        Assert.Single(journal, e => e.Message.Contains("[1200] Restored state", StringComparison.Ordinal));
        Assert.Contains(journal, e => e.Message.Contains("[2001] gRPC API listening", StringComparison.Ordinal));
        Assert.Contains(journal, e => e.Message.Contains("[3000] JSON-RPC bridge listening", StringComparison.Ordinal));
        Assert.Equal("active", await device.ShowAsync("ActiveState"));
    }

    [RealSystemdFact]
    public async Task Status_SaysWhatTheEngineDoes_InSystemctlStatus()
    {
        await device.ResetAsync(start: false);
        await device.Container.RunCheckedAsync("curl", "-sf", "-X", "POST", RealSystemdFixture.BackOfficeUrl + "admin/faults",
            "-H", "Content-Type: application/json", "-d", """[{"kind":"status","status":503,"retryAfter":2,"repeat":1}]""");

        await device.StartAsync();

        await device.WaitUntilAsync(async () => RetryingAfter503().IsMatch(await device.StatusAsync()), "Status: \"not provisioned; retrying in N s after 503\"");
        await device.WaitUntilAsync(async () => (await device.StatusAsync()).Contains("Status: \"provisioned, 3 labels\"", StringComparison.Ordinal), "Status: \"provisioned, 3 labels\"");
    }

    [RealSystemdFact]
    public async Task Status_WithoutBackOfficeAndDuringTheBootDelay_SaysWhy()
    {
        await device.ResetAsync("""{"Boot":{"MaxDelay":"00:00:00"}}""");
        await device.WaitUntilAsync(async () => await device.ShowAsync("StatusText") == "unavailable: BackOffice:Url is not configured", "unavailable");

        await device.ResetAsync(RealSystemdFixture.DefaultConfiguration().Replace("00:00:00", "1.00:00:00", StringComparison.Ordinal));
        await device.WaitUntilAsync(async () => BootDelay().IsMatch(await device.ShowAsync("StatusText")), "waiting for boot delay");
    }

    [RealSystemdFact]
    public async Task Restart_KeepsTheProvisioningWithoutAskingTheBackOfficeAgain()
    {
        await device.ResetAsync();
        using var client = device.Client();
        await device.WaitUntilAsync(async () => await device.ShowAsync("StatusText") == "provisioned, 3 labels", "provisioned");
        string keyBefore = (await client.GetKeyAsync("netflix")).Key.ToBase64();
        string requestsBefore = await device.Container.RunCheckedAsync("curl", "-sf", RealSystemdFixture.BackOfficeUrl + "admin/requests");
        string firstPid = await device.ShowAsync("MainPID");

        await device.Container.RunCheckedAsync("timeout", "60", "systemctl", "restart", RealSystemdFixture.Unit);

        Assert.NotEqual(firstPid, await device.ShowAsync("MainPID"));
        Assert.Equal("provisioned, 3 labels", await device.ShowAsync("StatusText"));
        Assert.Equal(keyBefore, (await client.GetKeyAsync("netflix")).Key.ToBase64());
        Assert.Equal(requestsBefore, await device.Container.RunCheckedAsync("curl", "-sf", RealSystemdFixture.BackOfficeUrl + "admin/requests"));
    }

    [RealSystemdFact]
    public async Task Stop_SigtermEndsTheDaemonCleanly()
    {
        await device.ResetAsync();
        string invocation = await device.ShowAsync("InvocationID");

        await device.Container.RunCheckedAsync("timeout", "60", "systemctl", "stop", RealSystemdFixture.Unit);

        Assert.Equal("success", await device.ShowAsync("Result"));
        Assert.Equal("0", await device.ShowAsync("ExecMainStatus"));
        Assert.Contains(await device.JournalAsync(invocation), e => e.Message.Contains("Application is shutting down", StringComparison.Ordinal));
    }

    [RealSystemdFact]
    public async Task SocketActivation_ACallOnTheSocketStartsTheStoppedServiceAndIsAnswered()
    {
        await device.ResetAsync();
        await device.Container.RunCheckedAsync("timeout", "60", "systemctl", "stop", RealSystemdFixture.Unit);
        Assert.Equal("inactive", await device.ShowAsync("ActiveState"));
        Assert.Equal("listening", await device.ShowAsync("SubState", RealSystemdFixture.SocketUnit));

        using var client = device.Client();
        Contracts.V1.State state = await client.GetStateAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.StartsWith("WPE", state.Id, StringComparison.Ordinal);
        Assert.Equal("active", await device.ShowAsync("ActiveState"));
        Assert.Contains(await device.JournalAsync(), e => e.Message.Contains("socket(s) passed by systemd socket activation", StringComparison.Ordinal));
    }

    [RealSystemdFact]
    public async Task InvalidConfiguration_Exit78_NotRestarted_MessageInTheJournalAsAnError()
    {
        await device.ResetAsync(RealSystemdFixture.DefaultConfiguration(""","Engine":{"RerunDelay":"-00:00:01"}"""), start: false);

        (int exitCode, _) = await device.Container.RunAsync("timeout", "60", "systemctl", "start", RealSystemdFixture.Unit);

        Assert.NotEqual(0, exitCode);
        await device.WaitUntilAsync(async () => await device.ShowAsync("ActiveState") == "failed", "failed");
        Assert.Equal("78", await device.ShowAsync("ExecMainStatus"));
        Assert.Equal("0", await device.ShowAsync("NRestarts"));
        List<JournalEntry> journal = await device.JournalAsync();
        JournalEntry heading = Assert.Single(journal, e => e.Message == "provisioningd: invalid configuration:");
        Assert.Equal(3, heading.Priority);
        JournalEntry setting = Assert.Single(journal, e => e.Message.StartsWith("  Engine:RerunDelay", StringComparison.Ordinal));
        Assert.Equal(3, setting.Priority);
        Assert.DoesNotContain(journal, e => e.Message.Contains("Hosting failed to start", StringComparison.Ordinal));
    }

    [RealSystemdFact]
    public async Task Journal_OneEntryPerMessage_AtThePriorityOfItsLevel()
    {
        await device.ResetAsync(start: false);
        await device.Container.RunCheckedAsync("curl", "-sf", "-X", "POST", RealSystemdFixture.BackOfficeUrl + "admin/faults",
            "-H", "Content-Type: application/json", "-d", """[{"kind":"status","status":503,"retryAfter":1,"repeat":1}]""");
        // A state file that cannot be read: the daemon logs an error (1202), moves it aside and provisions.
        await device.Container.ShCheckedAsync("printf garbage > /var/lib/provisioning/state.json && chown provisioning: /var/lib/provisioning/state.json");

        await device.StartAsync();
        await device.WaitUntilAsync(async () => await device.ShowAsync("StatusText") == "provisioned, 3 labels", "provisioned");

        List<JournalEntry> journal = [.. (await device.JournalAsync()).Where(e => e.Fields.GetValueOrDefault("SYSLOG_IDENTIFIER") == "provisioningd")];
        Assert.All(journal, e => Assert.Matches(OneLogEntry(), e.Message));
        Assert.Equal(3, Assert.Single(journal, e => e.Message.Contains("[1202]", StringComparison.Ordinal)).Priority);
        Assert.All(journal.Where(e => e.Message.Contains("[1006]", StringComparison.Ordinal)), e => Assert.Equal(4, e.Priority));
        Assert.Contains(journal, e => e.Message.Contains("[1006]", StringComparison.Ordinal));
        Assert.All(journal.Where(e => e.Message.Contains("[1200]", StringComparison.Ordinal) || e.Message.Contains("[1204]", StringComparison.Ordinal)), e => Assert.Equal(6, e.Priority));
    }

    [GeneratedRegex(@"^not provisioned; waiting for boot delay, first run in \d+ s$")]
    private static partial Regex BootDelay();

    [GeneratedRegex(@"Status: ""not provisioned; retrying in \d+ s after 503""")]
    private static partial Regex RetryingAfter503();

    /// <summary>The category with the event id, then the message: never a continuation line of an earlier entry.</summary>
    [GeneratedRegex(@"^[A-Za-z][\w.]*\[\d+\] \S")]
    private static partial Regex OneLogEntry();
}
