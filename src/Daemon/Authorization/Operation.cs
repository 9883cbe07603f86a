namespace Provisioning.Daemon.Authorization;

/// <summary>What a call does, as the policy sees it; each transport maps its methods onto these.</summary>
internal enum Operation
{
    /// <summary>Read the id and the state, watch changes (events), ask what exists, health.</summary>
    Read,

    /// <summary>Start a run, choose a label's key slot.</summary>
    Provision,

    /// <summary>Read one label's key (gRPC GetKey).</summary>
    Key,

    /// <summary>Thunder's Controller.1.activate and Controller.1.deactivate of the Provisioning plugin.</summary>
    Controller,
}
