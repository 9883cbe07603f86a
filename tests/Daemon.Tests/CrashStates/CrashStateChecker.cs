using System.Diagnostics;
using Provisioning.BackOfficeSimulator;
using Provisioning.Client;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// Starts the real daemon on a crash state, as systemd would after the power comes back, and judges it: it
/// gets ready (no crash, no crash loop), serves the old or the new provisioning whole (labels, chosen slots
/// and the keys of those slots) or, when it can use neither, moves what it cannot read aside and provisions
/// again; and it exits 0 on SIGTERM. The back office refuses (503) and counts, so a daemon that serves a
/// provisioning must not have asked, and one that serves none must have asked. Serving nothing is right only
/// when no provisioning was durable: none before the write, and the write not yet acknowledged.
/// </summary>
internal sealed class CrashStateChecker(string workDirectory, SimulatorServer refusingSimulator)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public async Task<CrashCheck> CheckAsync(CrashCase crash, int number)
    {
        var clock = Stopwatch.StartNew();
        string folder = Path.Combine(workDirectory, $"c{number}");
        string root = Path.Combine(folder, "fs");
        string stateDirectory = Path.Combine(root, RecordedScenario.StateDirectoryName);
        string socket = Path.Combine(folder, "s.sock");
        crash.Tree.WriteTo(root);
        bool hadStateFile = crash.Tree.Entries.ContainsKey($"{RecordedScenario.StateDirectoryName}/state.json");
        int asideBefore = AsideCount(stateDirectory);
        refusingSimulator.ClearRequests();
        try
        {
            (string served, string? failure) = await RunDaemonAsync(crash, root, socket);
            bool movedAside = AsideCount(stateDirectory) > asideBefore;
            failure ??= served == "nothing" && hadStateFile && !movedAside ? "it serves nothing but did not move state.json aside" : null;
            return new CrashCheck(crash, served, movedAside, failure, clock.Elapsed);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<(string Served, string? Failure)> RunDaemonAsync(CrashCase crash, string root, string socket)
    {
        RecordedScenario scenario = crash.Scenario;
        await using var daemon = DaemonProcess.Start(
            CrashScenarioRecorder.DaemonArguments(refusingSimulator.BaseAddress, scenario.DeviceId, root, socket, scenario.Arguments),
            workingDirectory: Path.GetDirectoryName(root));
        Task<string> ready = daemon.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal), Patience);
        Task<int> exited = daemon.WaitForExitAsync(Patience);
        if (await Task.WhenAny(ready, exited) == exited && exited.IsCompletedSuccessfully)
        {
            return ("no answer", $"the daemon exited ({await exited}) before it was ready:\n{Tail(daemon)}");
        }

        try
        {
            await ready;
        }
        catch (TimeoutException)
        {
            return ("no answer", $"the daemon was not ready within {Patience.TotalSeconds} s:\n{Tail(daemon)}");
        }
        using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = socket });
        using var timeout = new CancellationTokenSource(Patience);
        ProvisioningView? served;
        try
        {
            served = await ProvisioningView.ServedAsync(client, timeout.Token);
        }
        catch (Exception exception) when (exception is ProvisioningException or OperationCanceledException)
        {
            return ("no answer", $"GetState/GetKey failed: {exception.Message}\n{Tail(daemon)}");
        }

        string? failure = served is null ? await ExpectProvisioningRequestAsync(scenario.DeviceId) : ExpectNoProvisioningRequest(scenario.DeviceId);
        string name = served is null ? "nothing"
            : served == scenario.New ? "new"
            : served == scenario.Old ? "old"
            : $"a mix ({served})";
        failure ??= Judge(crash, name);
        await Shell.RunCheckedAsync("kill", "-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int exitCode = await daemon.WaitForExitAsync(Patience);
        failure ??= exitCode == 0 ? null : $"exit {exitCode} on SIGTERM:\n{Tail(daemon)}";
        return (name, failure);
    }

    private static int AsideCount(string stateDirectory) =>
        Directory.Exists(stateDirectory) ? Directory.GetFiles(stateDirectory, "state.json.bad-*").Length : 0;

    private static string? Judge(CrashCase crash, string served) => served switch
    {
        "new" => null,
        "old" when crash.MustBeNew => "it serves the old provisioning although the new one was acknowledged",
        "old" => null,
        "nothing" when crash.MustBeNew => "it lost the acknowledged provisioning",
        "nothing" when crash.Scenario.Old is not null => "it lost the old provisioning, which was durable",
        "nothing" => null,
        _ => $"it serves {served}: neither the old ({crash.Scenario.Old?.ToString() ?? "none"}) nor the new ({crash.Scenario.New}) provisioning",
    };

    private async Task<string?> ExpectProvisioningRequestAsync(string deviceId)
    {
        using var wait = new CancellationTokenSource(Patience);
        try
        {
            await refusingSimulator.WaitForRequestsAsync(requests => requests.Any(r => IsProvision(r, deviceId)), wait.Token);
            return null;
        }
        catch (OperationCanceledException)
        {
            return "it holds no provisioning and did not ask the back office for one";
        }
    }

    private string? ExpectNoProvisioningRequest(string deviceId) =>
        refusingSimulator.Requests.Any(r => IsProvision(r, deviceId)) ? "it asked the back office although it holds a provisioning" : null;

    private static bool IsProvision(RecordedRequest request, string deviceId) =>
        request.DeviceId == deviceId && request.Path.EndsWith("/provision", StringComparison.Ordinal);

    private static string Tail(DaemonProcess daemon) => string.Join('\n', daemon.Lines.TakeLast(30));
}
