using AdWallet.Persistence;
using Orleans.Runtime;
using Orleans.Storage;

namespace AdWallet.Simulation.Tests;

/// <summary>What a faulty write does.</summary>
public enum StorageFault
{
    /// <summary>Fails before anything is written: the caller hears an error and nothing changed.</summary>
    FailBeforeCommit,

    /// <summary>Commits, then fails: the caller hears an error but the rows are there (the ambiguous case).</summary>
    FailAfterCommit,

    /// <summary>Waits a little (real time) before writing.</summary>
    Delay,
}

/// <summary>
/// The storage faults still to inject: each write takes the first one queued for it (for any grain, or for grains of
/// one type), if any. Shared by the silos of a world.
/// </summary>
public sealed class StorageFaultPlan
{
    private readonly Lock _gate = new();
    private readonly List<(StorageFault Fault, string? GrainType)> _queued = [];
    private int _injected;

    /// <param name="grainType">Only a write of a grain of this type takes the fault (e.g. <c>wallet</c>); null: any write.</param>
    public void Enqueue(StorageFault fault, string? grainType = null)
    {
        lock (_gate) _queued.Add((fault, grainType));
    }

    public int Injected => Volatile.Read(ref _injected);

    /// <summary>Faults queued and not taken yet.</summary>
    public int Pending
    {
        get
        {
            lock (_gate) return _queued.Count;
        }
    }

    public void Clear()
    {
        lock (_gate) _queued.Clear();
    }

    public StorageFault? Take(GrainId grainId)
    {
        lock (_gate)
        {
            var type = grainId.Type.ToString();
            var index = _queued.FindIndex(queued => queued.GrainType is null || queued.GrainType == type);
            if (index < 0) return null;
            var fault = _queued[index].Fault;
            _queued.RemoveAt(index);
            _injected++;
            return fault;
        }
    }
}

/// <summary>The exception a faulty write throws.</summary>
public sealed class InjectedStorageFault(StorageFault fault) : Exception($"Injected storage fault: {fault}.");

/// <summary>
/// The silo's storage provider with faults on its writes (<see cref="StorageFaultPlan"/>): both its journaled-state side
/// (wallets, campaigns, users) and its <see cref="IGrainStorage"/> side (channels, ad accounts, files). Reads pass through.
/// </summary>
public sealed class FaultyStorage(IJournalStorage journal, IGrainStorage state, StorageFaultPlan plan) : IJournalStorage, IGrainStorage
{
    public Task<JournalStateRecord> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default) =>
        journal.ReadAsync(stateName, grainId, cancellationToken);

    public Task<string> WriteAsync(string stateName, GrainId grainId, IDeferredJournalWrite write, CancellationToken cancellationToken = default) =>
        WithFault(grainId, () => journal.WriteAsync(stateName, grainId, write, cancellationToken));

    public Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(string stateName, GrainId grainId, JournalQuery query, CancellationToken cancellationToken = default) =>
        journal.ReadJournalAsync(stateName, grainId, query, cancellationToken);

    public Task<StateItemRecord?> ReadItemAsync(string stateName, GrainId grainId, string collection, string key, CancellationToken cancellationToken = default) =>
        journal.ReadItemAsync(stateName, grainId, collection, key, cancellationToken);

    public Task<IReadOnlyList<StateItemRecord>> ReadItemsAsync(string stateName, GrainId grainId, ItemQuery query, CancellationToken cancellationToken = default) =>
        journal.ReadItemsAsync(stateName, grainId, query, cancellationToken);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => state.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithFault(grainId, async () =>
        {
            await state.WriteStateAsync(stateName, grainId, grainState);
            return true;
        });

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => state.ClearStateAsync(stateName, grainId, grainState);

    private async Task<TResult> WithFault<TResult>(GrainId grainId, Func<Task<TResult>> write)
    {
        switch (plan.Take(grainId))
        {
            case StorageFault.FailBeforeCommit:
                throw new InjectedStorageFault(StorageFault.FailBeforeCommit);
            case StorageFault.FailAfterCommit:
                await write();
                throw new InjectedStorageFault(StorageFault.FailAfterCommit);
            case StorageFault.Delay:
                await Task.Delay(Random.Shared.Next(5, 50));
                return await write();
            default:
                return await write();
        }
    }
}
