using Provisioning.Daemon.Fuzz;
using SharpFuzz;

// provisioningd-fuzz TARGET           : one target under AFL++ (afl-fuzz ... -- dotnet Provisioning.Daemon.Fuzz.dll TARGET)
// provisioningd-fuzz TARGET FILE...   : feeds files (a crash AFL++ found, a corpus folder) to the target, reports each
if (args.Length == 0)
{
    Console.Error.WriteLine($"usage: Provisioning.Daemon.Fuzz <{string.Join('|', FuzzTarget.All.Select(t => t.Name))}> [file or folder...]");
    return 64;
}

FuzzTarget target = FuzzTarget.Named(args[0]);
if (args.Length == 1)
{
    // Persistent mode: one process, many inputs; AFL++ hands each one over as a stream.
    using var buffer = new MemoryStream();
    Fuzzer.Run(stream =>
    {
        buffer.SetLength(0);
        stream.CopyTo(buffer);
        _ = target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
    return 0;
}

int failed = 0;
foreach (string file in args.Skip(1).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p) : [p]).Order(StringComparer.Ordinal))
{
    try
    {
        bool accepted = target.Run(File.ReadAllBytes(file));
        Console.WriteLine($"{file}: {(accepted ? "accepted" : "refused")}");
    }
    catch (Exception exception)
    {
        failed++;
        Console.WriteLine($"{file}: {exception.GetType().Name}: {exception.Message}");
    }
}

Console.WriteLine($"{target.Name}: {failed} of the inputs failed");
return failed == 0 ? 0 : 1;
