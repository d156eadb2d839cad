namespace Granary.Storage;

/// <summary>
/// The runtime's <see cref="IPersistentState{TState}"/>. Its methods are awaited from grain code and resume on the
/// grain's turn. After any failed write the in-memory state can no longer be trusted: the object refuses further
/// writes and the activation is dropped, so the next call starts from what is stored.
/// </summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>, IGrainStateParticipant
    where TState : new()
{
    private readonly GrainStateBinding _binding;
    private readonly WriteCoalescer _writes;
    private Exception? _failure;

    public PersistentState(GrainStateBinding binding)
    {
        _binding = binding;
        _writes = new WriteCoalescer(WriteNowAsync);
    }

    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync()
    {
        var record = await _binding.Storage.ReadAsync(_binding.StateName, _binding.GrainId);
        State = record.Data is null ? new TState() : _binding.Serializer.Deserialize<TState>(record.Data);
        Etag = record.ETag;
        RecordExists = record.Data is not null;
        _failure = null;
    }

    public Task WriteStateAsync()
    {
        ThrowIfFailed();
        return _writes.WriteAsync();
    }

    private async Task WriteNowAsync()
    {
        ThrowIfFailed();
        try
        {
            var data = _binding.Serializer.Serialize(State);
            Etag = await _binding.Storage.WriteAsync(_binding.StateName, _binding.GrainId, GrainStateWrite.StateOnly(data, Etag));
            RecordExists = true;
        }
        catch (Exception exception)
        {
            Fail(exception);
            throw;
        }
    }

    public async Task ClearStateAsync()
    {
        ThrowIfFailed();
        await _writes.WhenIdleAsync();
        try
        {
            Etag = await _binding.Storage.ClearAsync(_binding.StateName, _binding.GrainId, Etag);
            State = new TState();
            RecordExists = false;
        }
        catch (Exception exception)
        {
            Fail(exception);
            throw;
        }
    }

    private void Fail(Exception exception)
    {
        _failure = exception;
        _binding.OnWriteFailed(exception);
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
            throw new InconsistentStateException(
                $"State {_binding.StateName} of {_binding.GrainId} failed to write earlier and cannot be written again by this activation.",
                innerException: _failure);
    }
}
