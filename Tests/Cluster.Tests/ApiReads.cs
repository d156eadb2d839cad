using System.Net;
using System.Text.Json;

namespace AdWallet.Cluster.Tests;

/// <summary>Reads and expectations over the <see cref="RetryingSender"/>.</summary>
public static class ApiReads
{
    /// <summary>The answer's JSON, failing with the whole answer when its status is not <paramref name="status"/>.</summary>
    public static async Task<JsonElement> Expect(this Task<Answer> sending, HttpStatusCode status)
    {
        var answer = await sending;
        if (answer.Status != status) throw new UnexpectedAnswerException($"Expected {(int)status}: {answer}");
        return answer.Json;
    }

    public static Task<JsonElement> GetOk(this RetryingSender sender, HttpClient client, string path) =>
        sender.SendAsync(client, HttpMethod.Get, path).Expect(HttpStatusCode.OK);

    /// <summary>Every item of a list endpoint, following <c>nextCursor</c> to the last page.</summary>
    public static async Task<List<JsonElement>> GetAllPages(this RetryingSender sender, HttpClient client, string path)
    {
        var items = new List<JsonElement>();
        var separator = path.Contains('?') ? '&' : '?';
        string? cursor = null;
        do
        {
            var page = await sender.GetOk(client, cursor is null
                ? $"{path}{separator}limit=200"
                : $"{path}{separator}limit=200&cursor={Uri.EscapeDataString(cursor)}");
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return items;
    }

    public static string Text(this JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? null! : element.GetProperty(property).GetString()!;

    public static long Number(this JsonElement element, string property) => element.GetProperty(property).GetInt64();
}

public sealed class UnexpectedAnswerException(string message) : Exception(message);
