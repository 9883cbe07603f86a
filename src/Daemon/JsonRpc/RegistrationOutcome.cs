namespace Provisioning.Daemon.JsonRpc;

internal enum RegistrationOutcome
{
    Added,
    AlreadyRegistered,
    LimitReached,
    BridgeLimitReached,
    UidShareReached,
}
