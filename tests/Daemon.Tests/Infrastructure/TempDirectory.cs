namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>A fresh folder under the temp directory, removed with everything in it at the end of a test.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        // Short names: Unix socket paths inside must fit in 108 bytes.
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pvd-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A test that left a mount or an immutable file behind already failed; don't hide that failure.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
