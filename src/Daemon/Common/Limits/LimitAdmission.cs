namespace Provisioning.Daemon.Common.Limits;

/// <summary>What <see cref="SharedLimit.TryEnter"/> decided.</summary>
internal enum LimitAdmission
{
    Entered,

    /// <summary>The limit is reached: everything it allows is held.</summary>
    Full,

    /// <summary>The caller's uid holds its share of the limit.</summary>
    UidShareFull,
}
