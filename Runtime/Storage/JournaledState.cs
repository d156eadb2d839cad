namespace Granary.Storage;

/// <summary>
/// The runtime's <see cref="IJournaledState{TState, TEntry}"/>. The stored document holds the state and the
/// sequence of the last entry, so state and journal can never disagree about what was written.
/// </summary>
internal sealed class JournaledState<TState, TEntry>(GrainStateBinding binding) : IJournaledState<TState, TEntry>, IGrainStateParticipant
    where TState : new()
{
    private readonly List<JournalRecord> _pending = [];
    private long _storedVersion;
    private Exception? _failure;

    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public long Version => _storedVersion + _pending.Count;

    public int PendingCount => _pending.Count;

    public long Append(TEntry entry, string? category = null)
    {
        ThrowIfFailed();
        var sequence = Version + 1;
        _pending.Add(new JournalRecord(sequence, category, binding.Time.GetUtcNow(), binding.Serializer.Serialize(entry)));
        return sequence;
    }

    public async Task ReadStateAsync()
    {
        var record = await binding.Storage.ReadAsync(binding.StateName, binding.GrainId);
        var document = record.Data is null ? null : binding.Serializer.Deserialize<Document>(record.Data);
        State = document is null ? new TState() : document.State;
        _storedVersion = document?.Version ?? 0;
        _pending.Clear();
        Etag = record.ETag;
        RecordExists = document is not null;
        _failure = null;
    }

    public async Task WriteStateAsync()
    {
        ThrowIfFailed();
        try
        {
            var data = binding.Serializer.Serialize(new Document(Version, State));
            Etag = await binding.Storage.WriteAsync(binding.StateName, binding.GrainId, new GrainStateWrite(data, Etag, _pending.ToArray()));
            _storedVersion += _pending.Count;
            _pending.Clear();
            RecordExists = true;
        }
        catch (Exception exception)
        {
            _failure = exception;
            binding.OnWriteFailed(exception);
            throw;
        }
    }

    public async Task<IReadOnlyList<JournalEntry<TEntry>>> ReadEntriesAsync(long? beforeSequence, int limit, string? category = null)
    {
        var records = await binding.Storage.ReadJournalAsync(binding.StateName, binding.GrainId, new JournalQuery(beforeSequence, limit, category));
        return records
            .Select(r => new JournalEntry<TEntry>(r.Sequence, r.Category, r.Timestamp, binding.Serializer.Deserialize<TEntry>(r.Data)))
            .ToArray();
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
            throw new InconsistentStateException(
                $"State {binding.StateName} of {binding.GrainId} failed to write earlier and cannot be changed again by this activation.",
                innerException: _failure);
    }

    private sealed record Document(long Version, TState State);
}
