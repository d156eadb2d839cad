namespace Granary;

/// <summary>
/// The durable state of a grain. Every write is conditional on <see cref="Etag"/>: if anyone else wrote since this
/// activation read, the write throws <see cref="Storage.InconsistentStateException"/> and the activation is dropped.
/// </summary>
public interface IPersistentState<TState> where TState : new()
{
    TState State { get; set; }

    /// <summary>The version last read or written; null when no row exists.</summary>
    string? Etag { get; }

    /// <summary>True when stored state exists (it was written and not cleared).</summary>
    bool RecordExists { get; }

    Task ReadStateAsync();

    Task WriteStateAsync();

    Task ClearStateAsync();
}
