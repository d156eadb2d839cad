using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AdWallet.Grains.Channels.CustomerFiles;

namespace AdWallet.Api.Tests;

public sealed class CustomerFileHttpTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    private static string NewUser() => $"u_{Guid.NewGuid():N}";

    private static ByteArrayContent Csv(byte[] bytes, string mediaType = "text/csv")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    private static ByteArrayContent Csv(string text) => Csv(Encoding.UTF8.GetBytes(text));

    private async Task<(HttpClient Master, HttpClient Admin, string ChannelId)> ChannelWithAdminAsync()
    {
        var master = platform.CreateClientFor(NewUser());
        var adminId = NewUser();
        var admin = platform.CreateClientFor(adminId);
        var channelId = await master.CreateChannel();
        await master.AddChannelAdmin(channelId, adminId);
        return (master, admin, channelId);
    }

    private static async Task<JsonElement> UploadAsync(HttpClient client, string channelId, HttpContent content)
    {
        using var response = await client.PostAsync($"/v1/channels/{channelId}/customer-files", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var file = await response.ReadJson();
        Assert.Equal("processing", file.GetProperty("status").GetString());
        Assert.Equal($"/v1/channels/{channelId}/customer-files/{file.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        return file;
    }

    internal static async Task<JsonElement> WaitUntilDoneAsync(HttpClient client, string channelId, string fileId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var file = await client.GetOk($"/v1/channels/{channelId}/customer-files/{fileId}");
            var status = file.GetProperty("status").GetString();
            if (status is "completed" or "failed") return file;
            Assert.True(DateTime.UtcNow < deadline, $"customer file {fileId} still {status}");
            await Task.Delay(20);
        }
    }

    private static long Count(JsonElement file, string name) => file.GetProperty(name).GetInt64();

    [Fact]
    public async Task A_file_is_counted_as_seed_001_says_and_its_uploader_and_the_master_are_told()
    {
        var (master, admin, channelId) = await ChannelWithAdminAsync();
        using var _m = master;
        using var _a = admin;
        // Two friends of the channel, one written in another form than the file writes it.
        await admin.SendJson(HttpMethod.Post, $"/v1/channels/{channelId}/friends", """{ "phones": ["+821011112222", "+821033334444", "+821099990000"] }""")
            .Expect(HttpStatusCode.OK);

        var csv = string.Join("\n",
            "이름,휴대폰번호",
            "Kim,010-1111-2222",       // a friend
            "Lee,01033334444",         // a friend
            "Park,+82 10 5555 6666",   // registered, not a friend
            "Kim again,010 1111 2222", // the same friend again: registered twice, one friend
            "Choi,12345",              // invalid_phone
            "Jung,",                   // empty
            "Kang," + new string('1', 40), // too_long
            "Yoon,1055556666") + "\n"; // a spreadsheet dropped the leading 0: the same number as Park
        var uploaded = await UploadAsync(admin, channelId, Csv(csv));
        var fileId = uploaded.GetProperty("id").GetString()!;

        var file = await WaitUntilDoneAsync(admin, channelId, fileId);
        Assert.Equal("completed", file.GetProperty("status").GetString());
        Assert.Equal(1.0, file.GetProperty("progress").GetDouble());
        Assert.Equal(8, Count(file, "attempted"));
        Assert.Equal(5, Count(file, "registered"));
        Assert.Equal(3, Count(file, "distinctRegistered"));
        Assert.Equal(2, Count(file, "friends"));
        Assert.Equal(9, Count(file, "rowsRead"));
        var rejected = file.GetProperty("rejected");
        Assert.Equal(1, rejected.GetProperty("invalid_phone").GetInt64());
        Assert.Equal(1, rejected.GetProperty("empty").GetInt64());
        Assert.Equal(1, rejected.GetProperty("too_long").GetInt64());
        var sample = file.GetProperty("rejectedSample").EnumerateArray().ToArray();
        Assert.Equal([6L, 7L, 8L], sample.Select(row => row.GetProperty("line").GetInt64()));
        Assert.Equal(["invalid_phone", "empty", "too_long"], sample.Select(row => row.GetProperty("reason").GetString()));
        Assert.Equal(JsonValueKind.Null, file.GetProperty("failureCode").ValueKind);

        foreach (var client in new[] { admin, master })
        {
            var notifications = await client.GetOk("/v1/me/notifications");
            Assert.Contains(notifications.GetProperty("items").EnumerateArray(),
                n => n.GetProperty("kind").GetString() == "customer_file_completed" && n.GetProperty("message").GetString()!.Contains("2 friends"));
        }

        var listed = await master.GetAllPages($"/v1/channels/{channelId}/customer-files");
        Assert.Equal([fileId], listed.Select(f => f.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Friend_groups_count_distinct_numbers_and_friends_and_deleting_one_keeps_the_file()
    {
        var (master, admin, channelId) = await ChannelWithAdminAsync();
        using var _m = master;
        using var _a = admin;
        await master.SendJson(HttpMethod.Post, $"/v1/channels/{channelId}/friends", """{ "phones": ["+821011112222"] }""").Expect(HttpStatusCode.OK);
        var fileId = (await UploadAsync(admin, channelId, Csv("01011112222\n01011112222\n01022223333\n"))).GetProperty("id").GetString()!;
        await WaitUntilDoneAsync(admin, channelId, fileId);

        var group = await admin.SendJson(HttpMethod.Post, $"/v1/channels/{channelId}/friend-groups", $$"""{ "name": "VIP", "customerFileId": "{{fileId}}" }""")
            .Expect(HttpStatusCode.Created);
        Assert.Equal("VIP", group.GetProperty("name").GetString());
        Assert.Equal(fileId, group.GetProperty("customerFileId").GetString());
        Assert.Equal(2, Count(group, "registered"));
        Assert.Equal(1, Count(group, "friends"));
        var groupId = group.GetProperty("id").GetString()!;

        // A friend added since the file was processed counts in the next group.
        await master.SendJson(HttpMethod.Post, $"/v1/channels/{channelId}/friends", """{ "phones": ["+821022223333"] }""").Expect(HttpStatusCode.OK);
        var second = await master.SendJson(HttpMethod.Post, $"/v1/channels/{channelId}/friend-groups", $$"""{ "name": "All", "customerFileId": "{{fileId}}" }""")
            .Expect(HttpStatusCode.Created);
        Assert.Equal(2, Count(second, "friends"));

        var groups = await admin.GetAllPages($"/v1/channels/{channelId}/friend-groups", limit: 1);
        Assert.Equal([second.GetProperty("id").GetString(), groupId], groups.Select(g => g.GetProperty("id").GetString()));

        using var deleted = await admin.DeleteAsync($"/v1/channels/{channelId}/friend-groups/{groupId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsProblem(await admin.DeleteAsync($"/v1/channels/{channelId}/friend-groups/{groupId}"), HttpStatusCode.NotFound, "not_found");
        Assert.Single(await admin.GetAllPages($"/v1/channels/{channelId}/friend-groups"));
        Assert.Equal("completed", (await admin.GetOk($"/v1/channels/{channelId}/customer-files/{fileId}")).GetProperty("status").GetString());

        await ProblemAssert.IsProblem(
            await admin.SendJson(HttpMethod.Post, $"/v1/channels/{channelId}/friend-groups", """{ "name": "Nope", "customerFileId": "cf_unknown" }"""),
            HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Korean_spreadsheets_in_CP949_and_UTF_8_with_a_BOM_are_read_alike_and_multipart_uploads_keep_their_name()
    {
        var (master, admin, channelId) = await ChannelWithAdminAsync();
        using var _m = master;
        using var _a = admin;
        const string text = "고객명,연락처\r\n홍길동,010-1234-5678\r\n김철수,잘못된번호\r\n";
        var cp949 = CustomerFileText.For("cp949").GetBytes(text);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(cp949));

        using var multipart = new MultipartFormDataContent { { Csv(cp949, "application/vnd.ms-excel"), "file", "고객.csv" } };
        var fromCp949 = await UploadAsync(admin, channelId, multipart);
        var bom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var fromUtf8 = await UploadAsync(admin, channelId, Csv(bom));

        foreach (var uploaded in new[] { fromCp949, fromUtf8 })
        {
            var file = await WaitUntilDoneAsync(admin, channelId, uploaded.GetProperty("id").GetString()!);
            Assert.Equal(2, Count(file, "attempted"));
            Assert.Equal(1, Count(file, "registered"));
            var sample = Assert.Single(file.GetProperty("rejectedSample").EnumerateArray());
            Assert.Equal("잘못된번호", sample.GetProperty("value").GetString());
        }
        Assert.Equal("고객.csv", (await admin.GetOk($"/v1/channels/{channelId}/customer-files/{fromCp949.GetProperty("id").GetString()}")).GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task Two_uploads_of_the_same_bytes_are_two_files_each_counted_once()
    {
        var (master, admin, channelId) = await ChannelWithAdminAsync();
        using var _m = master;
        using var _a = admin;
        const string csv = "01011112222\n01033334444\n01011112222\nnot a phone\n";

        var first = (await UploadAsync(admin, channelId, Csv(csv))).GetProperty("id").GetString()!;
        var second = (await UploadAsync(master, channelId, Csv(csv))).GetProperty("id").GetString()!;

        Assert.NotEqual(first, second);
        foreach (var fileId in new[] { first, second })
        {
            var file = await WaitUntilDoneAsync(admin, channelId, fileId);
            Assert.Equal(4, Count(file, "attempted"));
            Assert.Equal(3, Count(file, "registered"));
            Assert.Equal(2, Count(file, "distinctRegistered"));
        }
        Assert.Equal([second, first], (await admin.GetAllPages($"/v1/channels/{channelId}/customer-files")).Select(f => f.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Files_that_are_not_CSV_text_are_refused_and_nothing_is_stored()
    {
        var (master, admin, channelId) = await ChannelWithAdminAsync();
        using var _m = master;
        using var _a = admin;
        var path = $"/v1/channels/{channelId}/customer-files";

        await ProblemAssert.IsProblem(await admin.PostAsync(path, Csv([])), HttpStatusCode.UnprocessableEntity, "empty_file");
        await ProblemAssert.IsProblem(await admin.PostAsync(path, Csv(" \r\n\r\n")), HttpStatusCode.UnprocessableEntity, "empty_file");
        await ProblemAssert.IsProblem(await admin.PostAsync(path, Csv([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00])), HttpStatusCode.UnprocessableEntity, "not_csv");
        await ProblemAssert.IsProblem(await admin.PostAsync(path, Csv([0x30, 0x31, 0xC9, 0x41, 0x0A])), HttpStatusCode.UnprocessableEntity, "undecodable_file");
        await ProblemAssert.IsProblem(await admin.PostAsync(path, Csv(Encoding.UTF8.GetBytes("01012345678"), "image/png")), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await ProblemAssert.IsProblem(await admin.PostAsync(path, ApiCalls.Json("""{ "phones": [] }""")), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        using var noFile = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        await ProblemAssert.IsProblem(await admin.PostAsync(path, noFile), HttpStatusCode.BadRequest, "validation_failed");
        // A charset the file does not decode in is refused, not guessed around.
        await ProblemAssert.IsProblem(await admin.PostAsync(path, Csv(CustomerFileText.For("cp949").GetBytes("홍길동,01012345678"), "text/csv; charset=utf-8")),
            HttpStatusCode.UnprocessableEntity, "undecodable_file");

        Assert.Empty(await admin.GetAllPages(path));
    }

    [Fact]
    public async Task Only_admins_of_the_channel_see_or_upload_its_files_and_groups()
    {
        var (master, admin, channelId) = await ChannelWithAdminAsync();
        using var _m = master;
        using var _a = admin;
        using var stranger = platform.CreateClientFor(NewUser());
        var fileId = (await UploadAsync(admin, channelId, Csv("01012345678\n"))).GetProperty("id").GetString()!;
        await WaitUntilDoneAsync(admin, channelId, fileId);
        var otherChannel = await stranger.CreateChannel();

        await ProblemAssert.IsProblem(await stranger.PostAsync($"/v1/channels/{channelId}/customer-files", Csv("01012345678\n")), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await stranger.GetAsync($"/v1/channels/{channelId}/customer-files"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await stranger.GetAsync($"/v1/channels/{channelId}/customer-files/{fileId}"), HttpStatusCode.NotFound, "not_found");
        // A file is seen only under its own channel, even by the admin of another one.
        await ProblemAssert.IsProblem(await stranger.GetAsync($"/v1/channels/{otherChannel}/customer-files/{fileId}"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(
            await stranger.SendJson(HttpMethod.Post, $"/v1/channels/{otherChannel}/friend-groups", $$"""{ "name": "Stolen", "customerFileId": "{{fileId}}" }"""),
            HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await stranger.GetAsync($"/v1/channels/{channelId}/friend-groups"), HttpStatusCode.NotFound, "not_found");
        Assert.Empty(await stranger.GetAllPages($"/v1/channels/{otherChannel}/customer-files"));
    }
}

public sealed class CustomerFileLimitTests
{
    [Fact]
    public async Task A_body_over_the_byte_limit_is_413_and_a_file_over_the_row_limit_fails_with_too_many_rows()
    {
        await using var platform = EmbeddedPlatform.WithSettings(("CustomerFiles:MaxBytes", "2000"), ("CustomerFiles:MaxRows", "10"),
            ("CustomerFiles:ChunkBytes", "1024"), ("CustomerFiles:BatchRows", "3"));
        using var admin = platform.CreateClientFor($"u_{Guid.NewGuid():N}");
        var channelId = await admin.CreateChannel();
        var path = $"/v1/channels/{channelId}/customer-files";

        // Over the limit after two chunks were stored: they go too.
        var tooLarge = new StringContent(string.Concat(Enumerable.Repeat("01012345678\n", 200)), Encoding.UTF8, "text/csv");
        await ProblemAssert.IsProblem(await admin.PostAsync(path, tooLarge), HttpStatusCode.RequestEntityTooLarge, "file_too_large");
        Assert.Empty(await admin.GetAllPages(path));

        var elevenRows = string.Concat(Enumerable.Range(0, 11).Select(i => $"0101234{i:D4}\n"));
        using var response = await admin.PostAsync(path, new StringContent(elevenRows, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var fileId = (await response.ReadJson()).GetProperty("id").GetString()!;
        var file = await CustomerFileHttpTests.WaitUntilDoneAsync(admin, channelId, fileId);
        Assert.Equal("failed", file.GetProperty("status").GetString());
        Assert.Equal("too_many_rows", file.GetProperty("failureCode").GetString());
        await ProblemAssert.IsProblem(
            await admin.SendJson(HttpMethod.Post, $"/v1/channels/{channelId}/friend-groups", $$"""{ "name": "Too long", "customerFileId": "{{fileId}}" }"""),
            HttpStatusCode.Conflict, "file_not_ready");

        var tenRows = string.Concat(Enumerable.Range(0, 10).Select(i => $"0101234{i:D4}\n"));
        using var accepted = await admin.PostAsync(path, new StringContent(tenRows, Encoding.UTF8, "text/csv"));
        var done = await CustomerFileHttpTests.WaitUntilDoneAsync(admin, channelId, (await accepted.ReadJson()).GetProperty("id").GetString()!);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(10, done.GetProperty("registered").GetInt64());
    }
}
