using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace AdWallet.Cluster.Tests;

/// <summary>
/// A customer file being processed by a silo process that is SIGKILLed: once the silo is back, the file's reminder
/// resumes it from its last checkpoint (nobody asks for the file meanwhile), and its counts are exactly those of an
/// uninterrupted run.
/// </summary>
public sealed class CustomerFileCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private const int Rows = 60_000;

    [Fact]
    public async Task A_silo_killed_mid_file_resumes_it_by_its_reminder_with_exact_counts()
    {
        await ClusterRun.RunAsync("cf", siloCount: 1, output.WriteLine, RunAsync,
            ["--CustomerFiles:BatchRows=250", "--CustomerFiles:WatchInterval=00:00:02"]);
    }

    private static async Task RunAsync(ProcessCluster cluster, string run)
    {
        var sender = new RetryingSender(Bound);
        using var admin = cluster.ClientFor($"admin-{run}");
        var channelId = (await sender.SendAsync(admin, HttpMethod.Post, "/v1/channels", """{ "name": "Shop" }""").Expect(HttpStatusCode.Created)).Text("id");
        // Friends: every number below 2,000 that is a multiple of 4.
        var friends = Enumerable.Range(0, 2_000).Where(n => n % 4 == 0).Select(n => $"\"+8210{n:D8}\"");
        await sender.SendAsync(admin, HttpMethod.Post, $"/v1/channels/{channelId}/friends", $$"""{ "phones": [{{string.Join(",", friends)}}] }""")
            .Expect(HttpStatusCode.OK);

        // Every 10th row invalid; every 3rd a repeat of the number before it.
        var csv = new StringBuilder("phone\n");
        var distinct = new HashSet<int>();
        var registered = 0;
        for (var row = 0; row < Rows; row++)
        {
            if (row % 10 == 9)
            {
                csv.Append("not a phone\n");
                continue;
            }
            var number = row % 3 == 2 ? row - 1 : row;
            csv.Append($"010-{number / 10_000:D4}-{number % 10_000:D4}\n");
            registered++;
            distinct.Add(number);
        }
        using var uploaded = await admin.PostAsync($"/v1/channels/{channelId}/customer-files", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Accepted, uploaded.StatusCode);
        var fileId = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var path = $"/v1/channels/{channelId}/customer-files/{fileId}";

        var before = await Waiting.Until(() => sender.GetOk(admin, path), file => file.Number("rowsRead") >= 5_000, Bound, "a few checkpoints");
        cluster.KillSilo(cluster.SiloPorts.Single());
        Assert.Equal("processing", before.Text("status"));
        Assert.InRange(before.Number("rowsRead"), 5_000, Rows);
        cluster.StartSilo(cluster.SiloPorts.Single());

        // Nobody asks for the file: its reminder wakes it, and the completion reaches the uploader.
        await Waiting.Until(async () => await sender.GetAllPages(admin, "/v1/me/notifications"),
            notifications => notifications.Any(n => n.Text("kind") == "customer_file_completed"), Bound, "the completion notice");
        var file = await sender.GetOk(admin, path);
        Assert.Equal("completed", file.Text("status"));
        Assert.Equal(Rows, file.Number("attempted"));
        Assert.Equal(registered, file.Number("registered"));
        Assert.Equal(distinct.Count, file.Number("distinctRegistered"));
        Assert.Equal(distinct.Count(n => n < 2_000 && n % 4 == 0), file.Number("friends"));
        Assert.Equal(Rows - registered, file.GetProperty("rejected").GetProperty("invalid_phone").GetInt64());
    }
}
