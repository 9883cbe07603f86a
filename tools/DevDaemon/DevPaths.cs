using System.Security.Cryptography;

namespace Provisioning.Daemon.Dev;

/// <summary>The local folder of the development host, with a machine identity of its own so it never touches /etc.</summary>
internal sealed record DevPaths(string Root, string StateDirectory, string SocketPath, string MachineIdFile)
{
    public static DevPaths Create(string root, int maxSocketPathLength)
    {
        Directory.CreateDirectory(root);
        string machineId = Path.Combine(root, "machine-id");
        if (!File.Exists(machineId))
        {
            File.WriteAllText(machineId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "\n");
        }

        // A Unix socket path must fit in sun_path (108 bytes); a deep checkout falls back to the temp folder.
        string socket = Path.Combine(root, "provisioning.sock");
        if (socket.Length > maxSocketPathLength)
        {
            socket = Path.Combine(Path.GetTempPath(), $"provisioningd-dev-{Environment.UserName}", "provisioning.sock");
        }

        return new DevPaths(root, Path.Combine(root, "state"), socket, machineId);
    }
}
