namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>One on-disk state a power cut at this point may leave, and which persistence choices made it.</summary>
internal sealed record CrashCandidate(FileTree Tree, string Choices);
