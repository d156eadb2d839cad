using Granary.Storage;
using Xunit;

namespace Granary.Tests.Storage;

/// <summary>Deferred writes (<see cref="IDeferredGrainStateWrite"/>), issued the way a journaled state issues them.</summary>
public abstract partial class GrainStorageConformance
{
    [Fact]
    public async Task A_deferred_write_stores_what_it_holds_when_taken_and_reports_its_etag_before_completing()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var chain = new WriteChain(expectedETag: null);
        chain.Stage("snapshot", Entry(1), Entry(2));

        var write = chain.Issue();
        var eTag = await storage.WriteAsync(StateName, grain, write);

        Assert.Equal(1, write.Takes);
        Assert.Equal(eTag, write.ExecutedETag);
        Assert.Equal(new GrainStateRecord("snapshot", eTag), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(2), Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
    }

    [Fact]
    public async Task Deferred_writes_issued_back_to_back_each_expect_the_etag_the_one_before_executed_with()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var chain = new WriteChain(expectedETag: null);
        chain.Stage("snapshot", Entry(1), Entry(2), Entry(3));
        var first = chain.Issue();
        var firstWrite = storage.WriteAsync(StateName, grain, first);
        chain.Stage(data: null, Entry(4), Entry(5));
        var second = chain.Issue();
        var secondWrite = storage.WriteAsync(StateName, grain, second);

        var eTags = await Task.WhenAll(firstWrite, secondWrite);

        Assert.NotEqual(eTags[0], eTags[1]);
        Assert.Equal((1, 1), (first.Takes, second.Takes));
        Assert.Equal(new GrainStateRecord("snapshot", eTags[1]), await storage.ReadAsync(StateName, grain));
        Assert.Equal([Entry(5), Entry(4), Entry(3), Entry(2), Entry(1)], await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
    }

    [Fact]
    public async Task When_a_deferred_write_fails_its_check_the_one_issued_after_it_fails_too()
    {
        var storage = await CreateStorageAsync();
        var grain = NewGrainId();
        var stale = await storage.WriteAsync(StateName, grain, WriteWith("first", null));
        var current = await storage.WriteAsync(StateName, grain, WriteWith("second", stale));
        var chain = new WriteChain(stale);
        chain.Stage("third", Entry(1));
        var first = storage.WriteAsync(StateName, grain, chain.Issue());
        chain.Stage(data: null, Entry(2));
        var second = storage.WriteAsync(StateName, grain, chain.Issue());

        await Assert.ThrowsAsync<InconsistentStateException>(() => first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => second);
        Assert.Equal(new GrainStateRecord("second", current), await storage.ReadAsync(StateName, grain));
        Assert.Empty(await storage.ReadJournalAsync(StateName, grain, new JournalQuery(null, 10)));
    }

    /// <summary>
    /// What a journaled state does for its deferred writes: content is staged under a lock, each write takes what is
    /// staged when the provider runs it, and expects the ETag the write before it executed with.
    /// </summary>
    private sealed class WriteChain(string? expectedETag)
    {
        private readonly Lock _lock = new();
        private readonly List<JournalRecord> _entries = [];
        private string? _data;
        private string? _expectedETag = expectedETag;

        public void Stage(string? data, params JournalRecord[] entries)
        {
            lock (_lock)
            {
                _data = data ?? _data;
                _entries.AddRange(entries);
            }
        }

        public ChainedWrite Issue() => new(this);

        public sealed class ChainedWrite(WriteChain chain) : IDeferredGrainStateWrite
        {
            private int _takes;

            public int Takes => Volatile.Read(ref _takes);

            public string? ExecutedETag { get; private set; }

            public GrainStateWrite Take()
            {
                Interlocked.Increment(ref _takes);
                lock (chain._lock)
                {
                    var write = new GrainStateWrite(chain._data, chain._expectedETag, [.. chain._entries]);
                    chain._data = null;
                    chain._entries.Clear();
                    return write;
                }
            }

            public void Executed(string etag)
            {
                lock (chain._lock) chain._expectedETag = etag;
                ExecutedETag = etag;
            }
        }
    }
}
