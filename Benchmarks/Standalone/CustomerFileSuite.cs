using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AdWallet.Benchmarks.Harness;
using AdWallet.Grains.Channels.CustomerFiles;
using Microsoft.Data.Sqlite;

namespace AdWallet.Benchmarks.Standalone;

/// <summary>
/// A large customer file against a channel with many friends, through the real API (a child process on its embedded
/// SQLite file): upload to completion, rows/s and the API process's extra memory; next to the same matching done
/// naively in this process, one friend look-up per row.
/// </summary>
internal sealed class CustomerFileSuite : StandaloneSuite
{
    public override string Name => "customer-files";

    protected override async Task<string> RunAsync(IReadOnlyDictionary<string, string> options)
    {
        var rows = (int)Number(options, "rows", 1_000_000);
        var friends = (int)Number(options, "friends", 1_000_000);
        var workFolder = BenchSilo.NewDataFolder();
        try
        {
            var csvPath = Path.Combine(workFolder, "customers.csv");
            var expected = WriteFile(csvPath, rows, friends);
            Progress($"{Name}: {rows:N0} rows written ({new FileInfo(csvPath).Length:N0} bytes); {expected.Invalid:N0} invalid, {expected.Repeats:N0} repeats");

            await using var api = await ApiProcess.StartAsync(Name);
            using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await api.TokenAsync("bench-admin"));
            var channelId = await CreateChannelAsync(http);
            var setup = Stopwatch.StartNew();
            await AddFriendsAsync(http, channelId, friends);
            var setupTime = setup.Elapsed;
            Progress($"{Name}: {friends:N0} friends added in {setupTime.TotalSeconds:0.0} s");

            GC.Collect();
            await Task.Delay(1_000);
            var memoryBefore = api.AnonymousResidentBytes();
            var peak = memoryBefore;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, api.AnonymousResidentBytes());
                    try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
                }
            });

            var clock = Stopwatch.StartNew();
            var fileId = await UploadAsync(http, channelId, csvPath);
            var uploaded = clock.Elapsed;
            var file = await WaitDoneAsync(http, channelId, fileId);
            var aggregated = clock.Elapsed;
            sampling.Cancel();
            await sampler;
            Progress($"{Name}: uploaded in {uploaded.TotalSeconds:0.0} s, completed after {aggregated.TotalSeconds:0.0} s");

            var naive = NaiveMatch(workFolder, csvPath, friends);
            Progress($"{Name}: naive matching in {naive.Elapsed.TotalSeconds:0.0} s");

            var platformRate = rows / aggregated.TotalSeconds;
            var naiveRate = rows / naive.Elapsed.TotalSeconds;
            var counts = (Attempted: file.GetProperty("attempted").GetInt64(), Registered: file.GetProperty("registered").GetInt64(),
                Distinct: file.GetProperty("distinctRegistered").GetInt64(), Friends: file.GetProperty("friends").GetInt64());
            var countsOk = file.GetProperty("status").GetString() == "completed" && counts.Attempted == rows && counts.Registered == rows - expected.Invalid
                && counts.Distinct == naive.Distinct && counts.Friends == naive.Friends;
            var extraMb = (peak - memoryBefore) / (1024.0 * 1024.0);

            var text = new StringBuilder();
            text.AppendLine($"A {rows:N0}-row customer file ({expected.Invalid * 100.0 / rows:0.#}% invalid rows, {expected.Repeats * 100.0 / rows:0.#}% repeats of " +
                            $"an earlier number) against a channel with {friends:N0} friends, on the embedded SQLite file (synchronous=FULL).");
            text.AppendLine();
            text.AppendLine("| Run | time | rows/s | ratio to naive |");
            text.AppendLine("|---|--:|--:|--:|");
            text.AppendLine($"| platform: `POST customer-files` (streamed upload, {uploaded.TotalSeconds:0.0} s of it) to `completed` | {aggregated.TotalSeconds:0.0} s | {platformRate:N0} | {platformRate / naiveRate:0.0}x |");
            text.AppendLine($"| naive: the same file parsed and normalized alike, one indexed friend look-up per row, distinct numbers in a HashSet | {naive.Elapsed.TotalSeconds:0.0} s | {naiveRate:N0} | 1.0x |");
            text.AppendLine();
            text.AppendLine($"- Target: aggregated in at most 60 s: {(aggregated.TotalSeconds <= 60 ? "met" : "MISSED")} ({aggregated.TotalSeconds:0.0} s).");
            text.AppendLine($"- API process anonymous memory (RssAnon, sampled every 50 ms): {memoryBefore / 1048576.0:N0} MB before the upload, peak " +
                            $"{peak / 1048576.0:N0} MB, so {extraMb:N0} MB extra (target under 200 MB: {(extraMb < 200 ? "met" : "MISSED")}).");
            text.AppendLine($"- Counts: attempted {counts.Attempted:N0}, registered {counts.Registered:N0}, distinct {counts.Distinct:N0}, friends {counts.Friends:N0}; " +
                            $"naive distinct {naive.Distinct:N0}, friends {naive.Friends:N0}: {(countsOk ? "ok" : "MISMATCH")}.");
            text.AppendLine($"- Setup, not timed above: {friends:N0} friends added through `POST /v1/channels/{{id}}/friends`, 1,000 a request, in {setupTime.TotalSeconds:0.0} s.");
            text.AppendLine();
            text.AppendLine("Method: the API is the Api project's Release build as a child process (see the http suite). The file is generated " +
                            "with a fixed seed: numbers are 010 mobiles drawn from twice as many as there are friends (so about half are " +
                            "friends), written in three forms (`010-1234-5678`, `01012345678`, `+82 10 1234 5678`), with a header row. The " +
                            "platform reads the stored upload in batches of `CustomerFiles:BatchRows` (10,000), adds each batch's numbers to " +
                            "the file's set in one statement of the shared writer, checkpoints, and counts friends at the end with one join of " +
                            "two indexed sets. The naive baseline runs in the harness on its own SQLite file with the same friends (one indexed " +
                            "table), reading the CSV with the same parser and normalizer and issuing one `SELECT` per registered row.");
            return text.ToString();
        }
        finally
        {
            try { Directory.Delete(workFolder, recursive: true); } catch (IOException) { }
        }
    }

    private static string Number(int n) => $"010{n / 10_000:D4}{n % 10_000:D4}";

    private static (int Invalid, int Repeats) WriteFile(string path, int rows, int friends)
    {
        var random = new Random(20261203);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("이름,휴대폰번호\n");
        int invalid = 0, repeats = 0;
        var written = new List<int>(rows);
        for (var row = 0; row < rows; row++)
        {
            var roll = random.NextDouble();
            if (roll < 0.05)
            {
                invalid++;
                writer.Write($"c{row},{random.Next(100, 99_999)}\n");
                continue;
            }
            int number;
            if (roll < 0.25 && written.Count > 0)
            {
                repeats++;
                number = written[random.Next(written.Count)];
            }
            else
            {
                number = random.Next(0, 2 * friends);
                written.Add(number);
            }
            var digits = Number(number);
            var form = (row % 3) switch
            {
                0 => $"{digits[..3]}-{digits[3..7]}-{digits[7..]}",
                1 => digits,
                _ => $"+82 {digits[1..3]} {digits[3..7]} {digits[7..]}",
            };
            writer.Write($"c{row},{form}\n");
        }
        return (invalid, repeats);
    }

    private static async Task<string> CreateChannelAsync(HttpClient http)
    {
        using var created = await http.PostAsync("/v1/channels", new StringContent("""{"name":"Bench shop"}""", Encoding.UTF8, "application/json"));
        if (created.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"POST /v1/channels answered {(int)created.StatusCode}");
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task AddFriendsAsync(HttpClient http, string channelId, int friends)
    {
        for (var start = 0; start < friends; start += 1_000)
        {
            var phones = Enumerable.Range(start, Math.Min(1_000, friends - start)).Select(n => $"\"+82{Number(n)[1..]}\"");
            using var added = await http.PostAsync($"/v1/channels/{channelId}/friends",
                new StringContent($$"""{"phones":[{{string.Join(",", phones)}}]}""", Encoding.UTF8, "application/json"));
            if (added.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"POST friends answered {(int)added.StatusCode}: {await added.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<string> UploadAsync(HttpClient http, string channelId, string csvPath)
    {
        await using var stream = File.OpenRead(csvPath);
        using var content = new StreamContent(stream, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await http.PostAsync($"/v1/channels/{channelId}/customer-files", content);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"The upload answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> WaitDoneAsync(HttpClient http, string channelId, string fileId)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            var file = JsonDocument.Parse(await http.GetStringAsync($"/v1/channels/{channelId}/customer-files/{fileId}")).RootElement;
            if (file.GetProperty("status").GetString() is "completed" or "failed") return file;
            await Task.Delay(100);
        }
        throw new TimeoutException("The customer file did not complete within 10 minutes.");
    }

    private static (TimeSpan Elapsed, long Distinct, long Friends) NaiveMatch(string folder, string csvPath, int friends)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "naive-friends.db")};Pooling=False");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE friend (phone TEXT PRIMARY KEY) WITHOUT ROWID;";
            create.ExecuteNonQuery();
        }
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO friend (phone) VALUES ($phone)";
            var phone = insert.Parameters.Add("$phone", SqliteType.Text);
            for (var n = 0; n < friends; n++)
            {
                phone.Value = "+82" + Number(n)[1..];
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }

        var clock = Stopwatch.StartNew();
        using var lookup = connection.CreateCommand();
        lookup.CommandText = "SELECT 1 FROM friend WHERE phone = $phone";
        var parameter = lookup.Parameters.Add("$phone", SqliteType.Text);
        lookup.Prepare();
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var friendsFound = new HashSet<string>(StringComparer.Ordinal);
        using var parser = new CsvHelper.CsvParser(new StreamReader(csvPath), System.Globalization.CultureInfo.InvariantCulture);
        parser.Read();
        while (parser.Read())
        {
            if (PhoneNumber.Normalize(parser[1]) is not { } number) continue;
            distinct.Add(number);
            parameter.Value = number;
            if (lookup.ExecuteScalar() is not null) friendsFound.Add(number);
        }
        return (clock.Elapsed, distinct.Count, friendsFound.Count);
    }
}
