namespace Provisioning.Daemon.Engine;

/// <summary>The key of a label's chosen slot, or why there is none. The key is a secret.</summary>
internal sealed record KeyLookup(EngineError Error, string Label, int Slot, ReadOnlyMemory<byte> Key);
