using Provisioning.Daemon.Systemd;

namespace Provisioning.Daemon.Tests.Systemd;

/// <summary>Whether the daemon runs under systemd, from what systemd hands a service (never from the parent's name).</summary>
public sealed class SystemdEnvironmentTests
{
    private const int Pid = 4242;

    [Theory]
    [InlineData("NOTIFY_SOCKET", "/run/systemd/notify")]
    [InlineData("SYSTEMD_EXEC_PID", "4242")]
    [InlineData("INVOCATION_ID", "0b5e4b3a2c1d4e5f8a9b0c1d2e3f4a5b")]
    public void Read_OneVariableSystemdSets_IsAService(string name, string value)
    {
        SystemdEnvironment systemd = Read(new() { [name] = value });

        Assert.True(systemd.IsService);
        Assert.False(systemd.IsJournalStream);
    }

    [Fact]
    public void Read_WatchdogAndSocketsForThisProcess_IsAService()
    {
        Assert.True(Read(new() { ["WATCHDOG_USEC"] = "30000000", ["WATCHDOG_PID"] = "4242" }).IsService);
        Assert.True(Read(new() { ["WATCHDOG_USEC"] = "30000000" }).IsService);
        Assert.True(Read(new() { ["LISTEN_FDS"] = "1", ["LISTEN_PID"] = "4242" }).IsService);
    }

    [Fact]
    public void Read_VariablesMeantForAnotherProcess_IsNotAService()
    {
        Assert.False(Read(new() { ["WATCHDOG_USEC"] = "30000000", ["WATCHDOG_PID"] = "1" }).IsService);
        Assert.False(Read(new() { ["LISTEN_FDS"] = "1", ["LISTEN_PID"] = "1" }).IsService);
        Assert.False(Read(new() { ["LISTEN_FDS"] = "1" }).IsService);
        Assert.False(Read(new() { ["SYSTEMD_EXEC_PID"] = "1" }).IsService);
        Assert.False(Read(new()).IsService);
    }

    [Fact]
    public void Read_InvocationIdInheritedByAShellOnATerminal_IsNotAService()
    {
        Assert.False(Read(new() { ["INVOCATION_ID"] = "0b5e4b3a2c1d4e5f8a9b0c1d2e3f4a5b" }, inputRedirected: false).IsService);
    }

    [Fact]
    public void Read_JournalStreamIsOurOutput_LogsToTheJournal()
    {
        SystemdEnvironment systemd = Read(new() { ["JOURNAL_STREAM"] = "8:123456" }, links: ["/dev/null", "socket:[123456]"]);

        Assert.True(systemd.IsJournalStream);
        Assert.True(systemd.IsService);
    }

    [Fact]
    public void Read_JournalStreamOfAnotherSocket_IsNotOurs()
    {
        Assert.False(Read(new() { ["JOURNAL_STREAM"] = "8:123456" }, links: ["socket:[654321]", "/dev/pts/0"]).IsJournalStream);
        Assert.False(Read(new() { ["JOURNAL_STREAM"] = "garbage" }, links: ["socket:[123456]"]).IsJournalStream);
    }

    [Fact]
    public void Current_TheTestProcess_HasTheNotifySocketItWasGiven()
    {
        Assert.Equal(Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 } socket ? socket : null, SystemdEnvironment.Current.NotifySocket);
    }

    private static SystemdEnvironment Read(Dictionary<string, string> variables, bool inputRedirected = true, string?[]? links = null) =>
        SystemdEnvironment.Read(name => variables.GetValueOrDefault(name), Pid, inputRedirected, () => links ?? ["/dev/null", "/dev/null"]);
}
