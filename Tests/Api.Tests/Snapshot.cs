using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdWallet.Api.Tests;

/// <summary>
/// Full JSON snapshots of what a refused request must not change: compare one taken before with one taken after.
/// </summary>
public static class Snapshot
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// A wallet as its master or member sees it: the wallet (balance, members, cards, auto-pay), every ledger entry,
    /// every charge and every auto-pay attempt; then each of <paramref name="more"/> (a GET answering 200 or a page).
    /// </summary>
    public static async Task<string> OfWallet(HttpClient viewer, string walletId, params (HttpClient Client, string Path)[] more)
    {
        var parts = new JsonObject
        {
            ["wallet"] = Node(await viewer.GetOk($"/v1/wallets/{walletId}")),
            ["transactions"] = Nodes(await viewer.GetAllPages($"/v1/wallets/{walletId}/transactions")),
            ["charges"] = Nodes(await viewer.GetAllPages($"/v1/wallets/{walletId}/charges")),
            ["autoPayAttempts"] = Nodes(await viewer.GetAllPages($"/v1/wallets/{walletId}/auto-pay/attempts")),
        };
        foreach (var (client, path) in more)
            parts[path] = Node(await client.GetOk(path));
        return parts.ToJsonString(Indented);
    }

    private static JsonNode? Node(JsonElement element) => JsonNode.Parse(element.GetRawText());

    private static JsonArray Nodes(IEnumerable<JsonElement> elements) => [.. elements.Select(Node)];
}
