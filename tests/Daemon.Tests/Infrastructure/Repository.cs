namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>The checkout the tests were built from, found from the test binaries.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "provisioningd.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("provisioningd.slnx not found above " + AppContext.BaseDirectory);
    }
}
