namespace Provisioning.Daemon.Engine;

/// <summary>A run the engine will start by itself at a time. A null trigger only re-plans (the clock was not set).</summary>
internal sealed record Schedule(DateTimeOffset At, RunTrigger? Trigger);
