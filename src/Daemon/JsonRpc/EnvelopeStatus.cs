namespace Provisioning.Daemon.JsonRpc;

internal enum EnvelopeStatus
{
    Valid,
    NotJson,
    NotAnObject,
    TooDeep,
    InvalidId,
    NoMethod,
}
