namespace Provisioning.BackOfficeSimulator;

/// <summary>The body of a 202: the operation to poll.</summary>
internal sealed record OperationBody(string Operation);
