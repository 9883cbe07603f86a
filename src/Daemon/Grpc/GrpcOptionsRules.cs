using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Grpc;

/// <summary>The rules across fields that data annotations cannot say; every failure is reported.</summary>
internal sealed class GrpcOptionsRules : IValidateOptions<GrpcOptions>
{
    public ValidateOptionsResult Validate(string? name, GrpcOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.SocketPath) && !Path.IsPathFullyQualified(options.SocketPath))
        {
            failures.Add($"SocketPath: must be an absolute path; '{options.SocketPath}' is not.");
        }

        if (options.SocketGroup is { Length: > 0 } group && !SocketGroup.IsPlausible(group))
        {
            failures.Add($"SocketGroup: '{group}' is neither a group name nor a numeric gid.");
        }
        else if (options.SocketGroup is { Length: > 0 } named && !OperatingSystem.IsWindows() && GrpcKestrelSetup.SystemdSocketCount() == 0
            && GroupProblem(named) is { } problem)
        {
            // Checked only where the daemon binds the socket itself: under socket activation the socket unit sets the group.
            failures.Add($"SocketGroup: {problem}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? GroupProblem(string group)
    {
        try
        {
            return SocketGroup.Resolve(group) is null ? $"the group '{group}' does not exist (not in /etc/group)." : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"the group '{group}' cannot be looked up: {exception.Message}";
        }
    }
}
