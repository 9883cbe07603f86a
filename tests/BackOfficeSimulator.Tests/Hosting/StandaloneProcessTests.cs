using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Hosting;

/// <summary>The simulator as `dotnet run --project tools/BackOfficeSimulator` runs it: a child process.</summary>
public sealed partial class StandaloneProcessTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "provisioningd-tests", Guid.NewGuid().ToString("N"));

    public StandaloneProcessTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Run_WithFaultsFile_ServesThePlanThenExitsZeroOnSigterm()
    {
        string faults = Path.Combine(_directory, "faults.json");
        await File.WriteAllTextAsync(faults, """[ { "kind": "status", "status": 418, "error": "teapot" } ]""");
        using Process process = Start("--urls", "http://127.0.0.1:0", "--faults", faults, "--Simulator:AutoEnroll", "false", "--Simulator:Devices:0:Id", TestSimulator.DeviceId);
        try
        {
            await ServeThenStopAsync(process);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task ServeThenStopAsync(Process process)
    {
        Uri baseAddress = await ReadBaseAddressAsync(process);
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TestSimulator.Patience };
        using HttpResponseMessage faulted = await client.ProvisionAsync();
        using HttpResponseMessage answered = await client.ProvisionAsync();
        using HttpResponseMessage unknown = await client.ProvisionAsync("WPE0000000000009");

        Assert.Equal("teapot", await faulted.ErrorAsync(418));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("unknown_device", await unknown.ErrorAsync(404));

        using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TestSimulator.Patience);
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Run_InvalidConfiguration_ExitsNonZeroNamingTheSetting()
    {
        using Process process = Start("--urls", "http://127.0.0.1:0", "--Simulator:Faults:0:Polls", "0");

        string errors = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestSimulator.Patience);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Simulator:Faults:0:Polls", errors, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Process Start(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Provisioning.BackOfficeSimulator.dll");
        string dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static async Task<Uri> ReadBaseAddressAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TestSimulator.Patience);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (Banner().Match(line) is { Success: true } match)
                {
                    return new Uri(match.Groups[1].Value);
                }
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        process.Kill();
        throw new InvalidOperationException("The simulator ended without printing its address: " + await process.StandardError.ReadToEndAsync());
    }

    [GeneratedRegex(@"^Back-office simulator on (http://\S+/) ")]
    private static partial Regex Banner();
}
