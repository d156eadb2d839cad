namespace Granary.Storage;

/// <summary>
/// The runtime's <see cref="IPersistentState{TState}"/>. Its methods are awaited from grain code and resume on the
/// grain's turn. After any failed write the in-memory state can no longer be trusted: the object refuses further
/// writes and the activation is dropped, so the next call starts from what is stored.
/// </summary>
internal sealed class PersistentState<TState>(GrainStateBinding binding) : IPersistentState<TState>, IGrainStateParticipant
    where TState : new()
{
    private Exception? _failure;

    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync()
    {
        var record = await binding.Storage.ReadAsync(binding.StateName, binding.GrainId);
        State = record.Data is null ? new TState() : binding.Serializer.Deserialize<TState>(record.Data);
        Etag = record.ETag;
        RecordExists = record.Data is not null;
        _failure = null;
    }

    public async Task WriteStateAsync()
    {
        ThrowIfFailed();
        try
        {
            var data = binding.Serializer.Serialize(State);
            Etag = await binding.Storage.WriteAsync(binding.StateName, binding.GrainId, GrainStateWrite.StateOnly(data, Etag));
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
        try
        {
            Etag = await binding.Storage.ClearAsync(binding.StateName, binding.GrainId, Etag);
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
        binding.OnWriteFailed(exception);
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
            throw new InconsistentStateException(
                $"State {binding.StateName} of {binding.GrainId} failed to write earlier and cannot be written again by this activation.",
                innerException: _failure);
    }
}
