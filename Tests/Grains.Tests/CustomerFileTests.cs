using System.Text;
using AdWallet.Grains.Channels;
using AdWallet.Grains.Channels.CustomerFiles;
using AdWallet.Persistence;
using AdWallet.TestSupport;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

public sealed class CustomerFileTests
{
    /// <summary>
    /// A file of <paramref name="rows"/> rows: every 20th invalid, every 5th a repeat of the row before it, the rest
    /// distinct numbers; and how many rows are registered and how many distinct numbers there are.
    /// </summary>
    private static (byte[] Bytes, long Registered, long Distinct) File(int rows)
    {
        var text = new StringBuilder("name,phone\n");
        long registered = 0;
        var distinct = new HashSet<long>();
        for (var row = 0; row < rows; row++)
        {
            if (row % 20 == 19)
            {
                text.Append("bad,12-34\n");
                continue;
            }
            var number = row % 5 == 4 ? row - 1 : row;
            text.Append($"c{row},010-{number / 10_000:D4}-{number % 10_000:D4}\n");
            registered++;
            distinct.Add(number);
        }
        return (Encoding.UTF8.GetBytes(text.ToString()), registered, distinct.Count);
    }

    private static string Friend(int number) => $"+8210{number / 10_000:D4}{number % 10_000:D4}";

    [Fact]
    public async Task A_silo_killed_while_a_file_is_processed_resumes_from_its_checkpoint_and_counts_exactly_once()
    {
        await using var platform = await Platform.StartAsync(p => p.Configure("CustomerFiles:BatchRows", "100"));
        var master = As(Platform.Master);
        var channel = platform.Channel("chn_files");
        await channel.Create(master, "Shop");
        var friends = Enumerable.Range(0, 3_000).Where(n => n % 3 == 0).Select(Friend).ToArray();
        foreach (var chunk in friends.Chunk(1_000)) await channel.AddFriends(master, chunk);

        const int rows = 40_000;
        var (bytes, registered, distinct) = File(rows);
        var file = platform.Grains.GetGrain<ICustomerFileGrain>("cf_crash");
        var chunks = bytes.Chunk(64 * 1024).ToArray();
        for (var i = 0; i < chunks.Length; i++) await file.AppendChunk(master, "chn_files", i, chunks[i]);
        await file.Submit(master, "chn_files", new CustomerFileUpload("customers.csv", CustomerFileEncodings.Utf8, bytes.Length, chunks.Length));

        CustomerFileView view = null!;
        await Eventually.WaitUntilAsync(async () => (view = await file.Get(master, "chn_files")).RowsRead >= 2_000, "a few checkpoints");
        await platform.RestartAsync(graceful: false);
        Assert.Equal(CustomerFileStatuses.Processing, view.Status);
        Assert.InRange(view.RowsRead, 2_000, rows - 1);

        // The next activation (here: the admin asking for progress) resumes; so would the reminder.
        await Eventually.WaitUntilAsync(async () => (view = await file.Get(master, "chn_files")).Status == CustomerFileStatuses.Completed, "the file completed");
        Assert.Equal(rows, view.Attempted);
        Assert.Equal(registered, view.Registered);
        Assert.Equal(distinct, view.DistinctRegistered);
        Assert.Equal(rows - registered, view.Rejected[RejectionReasons.InvalidPhone]);
        Assert.Equal(rows + 1, view.RowsRead);
        // Friends: distinct numbers below 3,000 that are multiples of 3 and appear in the file.
        var expectedFriends = Enumerable.Range(0, 3_000).Count(n => n % 3 == 0 && n % 20 != 19 && n % 5 != 4);
        Assert.Equal(expectedFriends, view.Friends);
        Assert.Equal(CustomerFileTally.SampleSize, view.RejectedSample.Count);
        Assert.Equal(21, view.RejectedSample[0].Line);
    }

    [Fact]
    public async Task A_file_whose_processing_keeps_failing_ends_failed_after_the_attempts_allowed()
    {
        await using var platform = await Platform.StartAsync(p => p
            .Configure("CustomerFiles:BatchRows", "100")
            .Configure("CustomerFiles:MaxProcessingAttempts", "3"));
        var master = As(Platform.Master);
        var channel = platform.Channel("chn_broken");
        await channel.Create(master, "Shop");
        var (bytes, _, _) = File(1_000);
        var file = platform.Grains.GetGrain<ICustomerFileGrain>("cf_broken");
        var chunks = bytes.Chunk(4 * 1024).ToArray();
        for (var i = 0; i < chunks.Length; i++) await file.AppendChunk(master, "chn_broken", i, chunks[i]);

        // The upload claims one chunk more than storage holds: every attempt fails when it reaches the missing one,
        // after checkpointing the batches before it.
        await file.Submit(master, "chn_broken", new CustomerFileUpload("customers.csv", CustomerFileEncodings.Utf8, bytes.Length + 1, chunks.Length + 1));

        // Each read of the file activates it again after a failed attempt, and so retries it.
        CustomerFileView view = null!;
        await Eventually.WaitUntilAsync(async () => (view = await file.Get(master, "chn_broken")).Status == CustomerFileStatuses.Failed, "the file failed");
        Assert.Equal(CustomerFileFailures.ProcessingFailed, view.FailureCode);
        // Only checkpointed batches count, once each, whatever the retries: never more rows than the file has.
        Assert.InRange(view.Attempted, 100, 1_000);
        Assert.Equal(view.Attempted, view.Registered + view.Rejected.Values.Sum());
        // A failed file keeps none of its numbers: no friend group can be made of it.
        await Assert.ThrowsAsync<DomainException>(() => channel.CreateFriendGroup(master, "Broken", "cf_broken"));
        // The uploader is told, once.
        var notices = (await platform.User(Platform.Master).ListNotifications(new PageRequest())).Items;
        Assert.Single(notices, n => n.Kind == CustomerFileGrain.FailedNotificationKind && n.Message.Contains(CustomerFileFailures.ProcessingFailed));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1_000)]
    public async Task Counts_do_not_depend_on_batch_size_or_on_where_processing_was_interrupted(int seed)
    {
        var (bytes, _, _) = File(5_000);
        var whole = await ScanAsync(bytes, batch: 10_000, interruptions: new HashSet<int>());
        var random = new Random(seed);
        var batch = random.Next(1, 700);
        var interruptions = Enumerable.Range(0, 5).Select(_ => random.Next(1, 20)).ToHashSet();

        var resumed = await ScanAsync(bytes, batch, interruptions);

        Assert.Equal(Describe(whole.Tally), Describe(resumed.Tally));
        Assert.Equal(whole.Phones.Order(), resumed.Phones.Order());
    }

    /// <summary>Scans a file batch by batch; after the batches in <paramref name="interruptions"/>, starts a new scan from the tally, as a restarted grain does.</summary>
    private static async Task<(CustomerFileTally Tally, HashSet<string> Phones)> ScanAsync(byte[] bytes, int batch, IReadOnlySet<int> interruptions)
    {
        var tally = new CustomerFileTally();
        var phones = new HashSet<string>();
        var scan = new CustomerFileScan(new MemoryStream(bytes), CustomerFileEncodings.Utf8);
        for (var batches = 1; ; batches++)
        {
            var (found, ended) = await scan.ReadBatchAsync(tally, batch);
            phones.UnionWith(found);
            if (ended) return (tally, phones);
            if (!interruptions.Contains(batches)) continue;
            scan.Dispose();
            tally = StateJson.Deserialize<CustomerFileTally>(StateJson.Serialize(tally));
            scan = new CustomerFileScan(new MemoryStream(bytes), CustomerFileEncodings.Utf8);
            await scan.SkipAsync(tally.RecordsRead);
        }
    }

    private static string Describe(CustomerFileTally tally) =>
        $"{tally.RecordsRead} {tally.Column} {tally.Attempted} {tally.Registered} " +
        string.Join(",", tally.Rejected.OrderBy(r => r.Key).Select(r => $"{r.Key}={r.Value}")) + " " +
        string.Join(",", tally.Sample.Select(r => $"{r.Line}:{r.Value}:{r.Reason}"));

    [Theory]
    [InlineData("010-1234-5678", "+821012345678")]
    [InlineData("01012345678", "+821012345678")]
    [InlineData("+82 10 1234 5678", "+821012345678")]
    [InlineData("+82 010-1234-5678", "+821012345678")]
    [InlineData("0082 10 1234 5678", "+821012345678")]
    [InlineData("1012345678", "+821012345678")]
    [InlineData("(016) 123.4567", "+82161234567")]
    [InlineData(" 011-234-5678 ", "+82112345678")]
    [InlineData("+1 202 555 0123", "+12025550123")]
    public void Phone_numbers_in_every_usual_form_are_one_number(string written, string normalized) =>
        Assert.Equal(normalized, PhoneNumber.Normalize(written));

    [Theory]
    [InlineData("", RejectionReasons.Empty)]
    [InlineData("   ", RejectionReasons.Empty)]
    [InlineData("02-123-4567", RejectionReasons.InvalidPhone)]
    [InlineData("010-1234-567", RejectionReasons.InvalidPhone)]
    [InlineData("010-1234-56789", RejectionReasons.InvalidPhone)]
    [InlineData("010-12a4-5678", RejectionReasons.InvalidPhone)]
    [InlineData("+0 123 456 789", RejectionReasons.InvalidPhone)]
    [InlineData("+1 23", RejectionReasons.InvalidPhone)]
    [InlineData("010123456780101234567801012345678", RejectionReasons.TooLong)]
    public void Values_that_follow_no_rule_are_rejected_with_their_reason(string written, string reason)
    {
        Assert.Null(PhoneNumber.Normalize(written, out var rejection));
        Assert.Equal(reason, rejection);
    }
}
