namespace Granary.Storage;

/// <summary>What a state object of one activation needs: where its rows are, and whom to tell when a write fails.</summary>
internal sealed record GrainStateBinding(
    string StateName,
    GrainId GrainId,
    IGrainStorage Storage,
    GrainStateSerializer Serializer,
    TimeProvider Time,
    int SnapshotInterval,
    Action<Exception> OnWriteFailed);

/// <summary>A state that the activation reads before <c>OnActivateAsync</c>.</summary>
internal interface IGrainStateParticipant
{
    Task ReadStateAsync();
}
