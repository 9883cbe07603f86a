namespace Provisioning.Cli;

/// <summary>provisioningctl's exit codes; scripts depend on them, so they never change.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad usage (System.CommandLine's own parse errors are 1 too), or a refusal not listed below.</summary>
    public const int Failed = 1;

    public const int InProgress = 3;

    public const int Unavailable = 4;

    public const int PermissionDenied = 5;

    public const int Unreachable = 6;

    /// <summary>provision --wait: the run ended without a provisioning.</summary>
    public const int RunFailed = 7;

    public const string HelpText = """
        Exit codes:
          0  ok
          1  bad usage, or the daemon refused the request (e.g. unknown label, index out of range)
          3  a provisioning run is in progress (ERROR_INPROGRESS)
          4  the daemon has no usable back office (ERROR_UNAVAILABLE)
          5  permission denied: no Authorization rule names your uid or gid
          6  the daemon is unreachable on the socket
          7  provision --wait: the run ended with an error
        """;
}
