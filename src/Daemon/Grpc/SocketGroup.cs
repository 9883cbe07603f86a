using System.Globalization;

namespace Provisioning.Daemon.Grpc;

/// <summary>Resolves Grpc:SocketGroup to a gid from the group database file.</summary>
internal static class SocketGroup
{
    private const string GroupFile = "/etc/group";

    public static bool IsPlausible(string group) =>
        uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out _)
        || group.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>The gid of a group name or numeric gid; null when no such group is listed.</summary>
    public static uint? Resolve(string group)
    {
        if (uint.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out uint gid))
        {
            return gid;
        }

        if (!File.Exists(GroupFile))
        {
            return null;
        }

        foreach (string line in File.ReadLines(GroupFile))
        {
            // name:password:gid:members
            string[] fields = line.Split(':');
            if (fields.Length >= 3 && string.Equals(fields[0], group, StringComparison.Ordinal)
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
            {
                return gid;
            }
        }

        return null;
    }
}
