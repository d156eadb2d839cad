using Granary.GrainReferences;
using Granary.Storage;
using Xunit;

namespace Granary.Tests.Storage;

/// <summary>How a journaled state issues its deferred writes, against a provider whose writer the test runs by hand.</summary>
public sealed class JournaledStateWriteTests
{
    private static readonly GrainId Grain = GrainId.Create("tally", "one");

    private readonly MemoryGrainStorage _stored = new();
    private readonly ManualWriter _writer;
    private readonly List<Exception> _writeFailures = [];

    public JournaledStateWriteTests() => _writer = new ManualWriter(_stored);

    [Fact]
    public async Task Writes_requested_before_the_provider_takes_the_open_one_join_it()
    {
        var state = await StartAsync();

        state.Append(1);
        var first = state.WriteStateAsync();
        state.Append(2);
        var joined = state.WriteStateAsync();

        Assert.Same(first, joined);
        Assert.Equal(1, _writer.Queued);
        var taken = _writer.Execute();
        Assert.Equal([1L, 2L], taken.Write.NewEntries.Select(entry => entry.Sequence));
        taken.Complete();
        await first;
        Assert.Equal(taken.ETag, state.Etag);
    }

    [Fact]
    public async Task The_next_write_is_queued_while_the_one_taken_before_it_commits_and_carries_everything_until_it_is_taken()
    {
        var state = await StartAsync();
        state.Append(1);
        var first = state.WriteStateAsync();
        var firstTaken = _writer.Execute();

        state.Append(2);
        var second = state.WriteStateAsync();
        state.Append(3);
        Assert.Same(second, state.WriteStateAsync());

        Assert.Equal(1, _writer.Queued);
        Assert.False(first.IsCompleted);
        var secondTaken = _writer.Execute();
        Assert.Equal([2L, 3L], secondTaken.Write.NewEntries.Select(entry => entry.Sequence));
        Assert.Equal(firstTaken.ETag, secondTaken.Write.ExpectedETag);
        firstTaken.Complete();
        secondTaken.Complete();
        await Task.WhenAll(first, second);

        Assert.Equal(secondTaken.ETag, state.Etag);
        var reread = NewState();
        await reread.ReadStateAsync();
        Assert.Equal((6, 3L), (reread.State.Sum, reread.Version));
    }

    [Fact]
    public async Task When_a_write_fails_the_write_queued_behind_it_fails_too_and_the_state_takes_no_more_changes()
    {
        var state = await StartAsync();
        state.Append(1);
        var first = state.WriteStateAsync();
        var firstTaken = _writer.Execute();
        state.Append(2);
        var second = state.WriteStateAsync();

        // Another activation wrote after the first write's statements ran, and that write's commit failed.
        await _stored.WriteAsync("tally", Grain, new GrainStateWrite(null, firstTaken.ETag, [new JournalRecord(2, null, DateTimeOffset.UtcNow, "100")]));
        firstTaken.Fail(new InconsistentStateException("The commit failed."));
        var secondTaken = _writer.Execute();
        secondTaken.Complete();

        await Assert.ThrowsAsync<InconsistentStateException>(() => first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => second);
        Assert.IsType<InconsistentStateException>(secondTaken.Failure);
        Assert.Single(_writeFailures);
        Assert.Throws<InconsistentStateException>(() => state.Append(3));
    }

    private async Task<JournaledState<Tally, int>> StartAsync()
    {
        var state = NewState();
        await state.ReadStateAsync();
        return state;
    }

    private JournaledState<Tally, int> NewState()
    {
        var serializer = new GrainStateSerializer(new GrainReferenceJsonConverterFactory(() => throw new InvalidOperationException("No grain references here.")));
        return new JournaledState<Tally, int>(new GrainStateBinding(
            "tally", Grain, _writer, serializer, TimeProvider.System, SnapshotInterval: 100, _writeFailures.Add));
    }

    public sealed class Tally : IJournalProjection<int>
    {
        public int Sum { get; set; }

        public void Apply(int entry) => Sum += entry;
    }

    /// <summary>Queues deferred writes until the test runs them, one at a time, as a provider's single writer would.</summary>
    private sealed class ManualWriter(MemoryGrainStorage stored) : IGrainStorage
    {
        private readonly Queue<(string State, GrainId Grain, IDeferredGrainStateWrite Write, TaskCompletionSource<string> Done)> _queue = new();

        public int Queued => _queue.Count;

        /// <summary>Takes and executes the next queued write; it completes when the test says its commit ended.</summary>
        public TakenWrite Execute()
        {
            var (stateName, grainId, write, done) = _queue.Dequeue();
            var taken = write.Take();
            var executed = stored.WriteAsync(stateName, grainId, taken);
            if (executed.IsCompletedSuccessfully) write.Executed(executed.Result);
            return new TakenWrite(taken, executed, done);
        }

        public Task<string> WriteAsync(string stateName, GrainId grainId, IDeferredGrainStateWrite write, CancellationToken cancellationToken = default)
        {
            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _queue.Enqueue((stateName, grainId, write, done));
            return done.Task;
        }

        public Task<string> WriteAsync(string stateName, GrainId grainId, GrainStateWrite write, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("A journaled state issues deferred writes.");

        public Task<GrainStateRecord> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default) =>
            stored.ReadAsync(stateName, grainId, cancellationToken);

        public Task<string> ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken = default) =>
            stored.ClearAsync(stateName, grainId, expectedETag, cancellationToken);

        public Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(string stateName, GrainId grainId, JournalQuery query, CancellationToken cancellationToken = default) =>
            stored.ReadJournalAsync(stateName, grainId, query, cancellationToken);

        public Task<IReadOnlyList<GrainStateItem>> ReadItemsAsync(string stateName, GrainId grainId, string? afterKey, int limit, CancellationToken cancellationToken = default) =>
            stored.ReadItemsAsync(stateName, grainId, afterKey, limit, cancellationToken);
    }

    private sealed record TakenWrite(GrainStateWrite Write, Task<string> Executed, TaskCompletionSource<string> Done)
    {
        public string ETag => Executed.Result;

        public Exception? Failure => Executed.Exception?.InnerException;

        /// <summary>The commit ended: the write's own outcome is reported.</summary>
        public void Complete()
        {
            if (Failure is { } failure) Done.SetException(failure);
            else Done.SetResult(ETag);
        }

        /// <summary>The commit failed, whatever the write's statements did.</summary>
        public void Fail(Exception exception) => Done.SetException(exception);
    }
}
