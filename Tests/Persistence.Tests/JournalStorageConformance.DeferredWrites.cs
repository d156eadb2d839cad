using Orleans.Storage;

namespace AdWallet.Persistence.Tests;

/// <summary>Deferred writes (<see cref="IDeferredJournalWrite"/>), issued the way a journaled state issues them.</summary>
public abstract partial class JournalStorageConformance
{
    [Fact]
    public async Task A_deferred_write_stores_what_it_holds_when_taken_and_reports_its_etag_before_completing()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var chain = new WriteChain(expectedETag: null);
        chain.Stage("snapshot", [Item("charges", "c1", 1)], Entry(1), Entry(2));

        var write = chain.Issue();
        var eTag = await storage.WriteAsync(StateName, grain, write);

        Assert.Equal(1, write.Takes);
        Assert.Equal(eTag, write.ExecutedETag);
        Assert.Equal(new JournalStateRecord("snapshot", eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1)], await JournalAsync(storage, grain));
        Assert.Equal([Item("charges", "c1", 1)], await ItemsAsync(storage, grain, "charges"));
    }

    [Fact]
    public async Task A_deferred_write_takes_its_content_when_it_runs_not_when_it_is_issued()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var chain = new WriteChain(expectedETag: null);
        chain.Stage("snapshot", [], Entry(1));
        // The grain goes on appending while the provider runs the first write: the second, issued before, takes that.
        var first = chain.Issue(onTaken: () => chain.Stage(data: null, [Item("charges", "c2", 2)], Entry(2)));
        var second = chain.Issue();

        var writes = await WhileWritesAreHeldAsync(storage, () =>
            [storage.WriteAsync(StateName, grain, first), storage.WriteAsync(StateName, grain, second)]);
        chain.Stage(data: null, [], Entry(3));

        var eTags = new[] { await writes[0], await writes[1] };
        Assert.NotEqual(eTags[0], eTags[1]);
        Assert.Equal(eTags[1], second.ExecutedETag);
        Assert.Equal(new JournalStateRecord("snapshot", eTags[1]), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1)], await JournalAsync(storage, grain));
        Assert.Equal([Item("charges", "c2", 2)], await ItemsAsync(storage, grain, "charges"));
        Assert.Equal(1, chain.PendingEntries);
    }

    [Fact]
    public async Task Deferred_writes_issued_back_to_back_each_expect_the_etag_the_one_before_executed_with()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var chain = new WriteChain(expectedETag: null);
        chain.Stage("snapshot", [], Entry(1), Entry(2), Entry(3));
        var first = chain.Issue();
        var firstWrite = storage.WriteAsync(StateName, grain, first);
        chain.Stage(data: null, [], Entry(4), Entry(5));
        var second = chain.Issue();
        var secondWrite = storage.WriteAsync(StateName, grain, second);

        var eTags = await Task.WhenAll(firstWrite, secondWrite);

        Assert.NotEqual(eTags[0], eTags[1]);
        Assert.Equal((1, 1), (first.Takes, second.Takes));
        Assert.Equal(new JournalStateRecord("snapshot", eTags[1]), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(5), Entry(4), Entry(3), Entry(2), Entry(1)], await JournalAsync(storage, grain));
    }

    [Fact]
    public async Task When_a_deferred_write_fails_its_check_the_one_issued_after_it_fails_too_and_neither_is_told_an_etag()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var stale = await WriteAsync(storage, StateName, grain, WriteWith("first", null));
        var current = await WriteAsync(storage, StateName, grain, WriteWith("second", stale));
        var chain = new WriteChain(stale);
        chain.Stage("third", [], Entry(1));
        var firstWrite = chain.Issue();
        var first = storage.WriteAsync(StateName, grain, firstWrite);
        chain.Stage(data: null, [], Entry(2));
        var secondWrite = chain.Issue();
        var second = storage.WriteAsync(StateName, grain, secondWrite);

        await Assert.ThrowsAsync<InconsistentStateException>(() => first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => second);
        Assert.Null(firstWrite.ExecutedETag);
        Assert.Null(secondWrite.ExecutedETag);
        Assert.Equal(new JournalStateRecord("second", current), await storage.ReadAsync(StateName, grain));
        Assert.Empty(await JournalAsync(storage, grain));
    }

    /// <summary>
    /// What a journaled state does for its deferred writes: content is staged under a lock, each write takes what is
    /// staged when the provider runs it, and expects the ETag the write before it executed with.
    /// </summary>
    private sealed class WriteChain(string? expectedETag)
    {
        private readonly Lock _lock = new();
        private readonly List<JournalRecord> _entries = [];
        private readonly List<StateItemRecord> _items = [];
        private string? _data;
        private string? _expectedETag = expectedETag;

        public int PendingEntries
        {
            get
            {
                lock (_lock) return _entries.Count;
            }
        }

        public void Stage(string? data, StateItemRecord[] items, params JournalRecord[] entries)
        {
            lock (_lock)
            {
                _data = data ?? _data;
                _entries.AddRange(entries);
                _items.AddRange(items);
            }
        }

        public ChainedWrite Issue(Action? onTaken = null) => new(this, onTaken);

        public sealed class ChainedWrite(WriteChain chain, Action? onTaken) : IDeferredJournalWrite
        {
            private int _takes;

            public int Takes => Volatile.Read(ref _takes);

            public string? ExecutedETag { get; private set; }

            public JournalWrite Take()
            {
                Interlocked.Increment(ref _takes);
                JournalWrite write;
                lock (chain._lock)
                {
                    write = new JournalWrite(chain._data, chain._expectedETag, [.. chain._entries], [.. chain._items]);
                    chain._data = null;
                    chain._entries.Clear();
                    chain._items.Clear();
                }
                onTaken?.Invoke();
                return write;
            }

            public void Executed(string etag)
            {
                lock (chain._lock) chain._expectedETag = etag;
                ExecutedETag = etag;
            }
        }
    }
}
