using Provisioning.Daemon.BackOffice;

namespace Provisioning.Daemon.Engine;

/// <summary>What the engine resolves at start: the back office (null when BackOffice:Url is not set) and its planner.</summary>
internal sealed record EngineParts(IBackOfficeClient? BackOffice, RunPlanner Planner);
