using AdWallet.Grains.Collections;
using AdWallet.Grains.Payments;

namespace AdWallet.Grains.Tests;

public sealed class TextIndexTests
{
    [Fact]
    public void Texts_are_found_by_value_among_many_whose_hashes_collide()
    {
        // 300,000 texts give 32-bit hashes that collide a few times on average, so chains of more than one are walked.
        var index = new TextIndex(new TextArena());
        const int count = 300_000;
        for (var i = 0; i < count; i++) Assert.Equal(i, index.Add($"wal_{i % 7}/chg_{i:x8}"));

        Assert.Equal(count, index.Count);
        for (var i = 0; i < count; i++)
        {
            var text = $"wal_{i % 7}/chg_{i:x8}";
            Assert.Equal(i, index.FindFirst(text));
            Assert.Equal(text, index[i].ToString());
        }
        Assert.Equal(-1, index.FindFirst("wal_0/chg_none"));
        Assert.Empty(index.FindAll("wal_0/chg_none"));
    }

    [Fact]
    public void A_text_added_again_is_found_every_time_oldest_first()
    {
        var index = new TextIndex(new TextArena());
        index.Add("a");
        index.Add("b");
        index.Add("a");
        index.Add("");
        index.Add("a");

        Assert.Equal([0, 2, 4], index.FindAll("a"));
        Assert.Equal(0, index.FindFirst("a"));
        Assert.Equal(3, index.FindFirst(""));

        Assert.Equal(-1, index.TryAdd("b"));
        Assert.Equal(5, index.TryAdd("c"));
        Assert.Equal(-1, index.TryAdd("c"));
        Assert.Equal(6, index.Count);
    }

    [Fact]
    public void An_empty_text_is_kept_even_first()
    {
        var arena = new TextArena();
        var empty = arena.Add("");
        var index = new TextIndex(new TextArena());

        Assert.Equal("", arena[empty].ToString());
        Assert.Equal(0, index.Add(""));
        Assert.Equal(0, index.FindFirst(""));
    }

    [Fact]
    public void Texts_longer_than_a_block_are_kept_whole()
    {
        var arena = new TextArena();
        var small = arena.Add("before");
        var large = arena.Add(new string('x', 200_000));
        var after = arena.Add("after");

        Assert.Equal("before", arena[small].ToString());
        Assert.Equal(new string('x', 200_000), arena[large].ToString());
        Assert.Equal("after", arena[after].ToString());
    }
}

public sealed class CaptureLogTests
{
    [Fact]
    public void A_capture_keeps_its_reference_amount_refunds_and_metadata()
    {
        var log = new CaptureLog();
        var metadata = new Dictionary<string, string> { ["idempotency_scope"] = "u|charge|k", ["request_hash"] = new string('f', 64), ["empty"] = "", ["long"] = new string('v', 2_000) };
        var first = log.Add("wal_1/chg_a", 10_000, metadata);
        var other = log.Add("wal_2/chg_b", 5_000, null);
        var second = log.Add("wal_1/chg_a", 10_000, metadata);
        log.AddRefund(second, 10_000);
        log.AddRefund(first, 2_500);

        Assert.Equal(0, log.FindFirst("wal_1/chg_a"));
        Assert.Equal([first, second], log.FindAll("wal_1/chg_a"));
        Assert.Equal(-1, log.FindFirst("wal_1/chg_b"));

        var capture = log.ToCapture(first, "cap_1");
        Assert.Equal(new Capture("cap_1", "wal_1/chg_a", 10_000, 2_500, capture.Metadata), capture);
        Assert.Equal(metadata.OrderBy(p => p.Key), capture.Metadata!.OrderBy(p => p.Key));
        Assert.Null(log.ToCapture(other, "cap_2").Metadata);
        Assert.Equal(10_000, log.RefundedAmount(second));
        Assert.Equal(3, log.Count);
    }

    [Fact]
    public void A_capture_that_cannot_be_kept_leaves_the_others_as_they_were()
    {
        var log = new CaptureLog();
        log.Add("a", 100, null);
        Assert.ThrowsAny<Exception>(() => log.Add("b", 200, new Dictionary<string, string> { ["key"] = null! }));
        var c = log.Add("c", 300, null);

        Assert.Equal(1, c);
        Assert.Equal(c, log.FindFirst("c"));
        Assert.Equal(-1, log.FindFirst("b"));
        Assert.Equal(300, log.Amount(c));
    }

    [Fact]
    public void Metadata_keys_beyond_what_a_character_numbers_are_refused()
    {
        var log = new CaptureLog();
        for (var key = 0; key <= char.MaxValue; key++) log.Add($"r{key}", 1, new Dictionary<string, string> { [$"k{key}"] = "v" });

        Assert.Throws<InvalidOperationException>(() => log.Add("last", 1, new Dictionary<string, string> { ["one key too many"] = "v" }));
        Assert.Equal("v", log.ToCapture(char.MaxValue, "cap").Metadata![$"k{(int)char.MaxValue}"]);
    }
}

public sealed class ChunkedListTests
{
    [Fact]
    public void Items_are_kept_across_chunks_and_changed_in_place()
    {
        var list = new ChunkedList<long>();
        for (var i = 0; i < 10_000; i++) list.Add(i);
        list[4_096] += 1_000_000;

        Assert.Equal(10_000, list.Count);
        Assert.Equal(4_095, list[4_095]);
        Assert.Equal(1_004_096, list[4_096]);
        Assert.Equal(9_999, list[9_999]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[10_000]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
    }
}
