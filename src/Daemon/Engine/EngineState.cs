using System.Collections.Immutable;

namespace Provisioning.Daemon.Engine;

/// <summary>An immutable snapshot of the engine's state; every published change is one of these.</summary>
internal sealed record EngineState
{
    /// <summary>Increases by one with every published change; a subscriber sees no gaps.</summary>
    public required long Sequence { get; init; }

    public required StateChange Change { get; init; }

    /// <summary>The provision ID; empty when the identity could not be read.</summary>
    public required string Id { get; init; }

    /// <summary>The HTTP status of the latest answer that ended a run or attempt; 0 before any answer.</summary>
    public required int Status { get; init; }

    /// <summary>The labels of the stored provisioning, sorted ordinally.</summary>
    public required ImmutableArray<string> Labels { get; init; }

    public required EnginePhase Phase { get; init; }

    /// <summary>Attempts made by the current (or last) run.</summary>
    public int Attempts { get; init; }

    /// <summary>When the next attempt or scheduled run starts, if one is waiting.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Why the latest attempt or run failed, in words; never secret.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? Issued { get; init; }

    public DateTimeOffset? Expires { get; init; }

    /// <summary>The chosen key slot per label; labels not listed use slot 0.</summary>
    public required ImmutableSortedDictionary<string, int> Indexes { get; init; }

    /// <summary>
    /// True when callers are told of this change (both APIs' change notifications): a run ended, even when
    /// nothing changed, or the status or the labels changed. Set by <see cref="StateBroadcaster"/>.
    /// </summary>
    public bool IsAnnounced { get; init; }

    public bool IsProvisioned => !Labels.IsDefaultOrEmpty;
}
