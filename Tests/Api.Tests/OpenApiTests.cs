using System.Text.Json;

namespace AdWallet.Api.Tests;

public sealed class OpenApiTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "get", "/v1/me" },
        { "post", "/v1/me/identity-verification" },
        { "get", "/v1/me/notifications" },
        { "post", "/v1/wallets" },
        { "get", "/v1/wallets/{walletId}" },
        { "patch", "/v1/wallets/{walletId}" },
        { "post", "/v1/wallets/{walletId}/members" },
        { "delete", "/v1/wallets/{walletId}/members/{userId}" },
        { "post", "/v1/wallets/{walletId}/charges" },
        { "get", "/v1/wallets/{walletId}/charges" },
        { "get", "/v1/wallets/{walletId}/charges/{chargeId}" },
        { "get", "/v1/wallets/{walletId}/transactions" },
        { "post", "/v1/wallets/{walletId}/refunds" },
        { "post", "/v1/wallets/{walletId}/cards" },
        { "post", "/v1/wallets/{walletId}/cards/{cardId}/primary" },
        { "delete", "/v1/wallets/{walletId}/cards/{cardId}" },
        { "put", "/v1/wallets/{walletId}/auto-pay" },
        { "get", "/v1/wallets/{walletId}/auto-pay/attempts" },
        { "post", "/v1/channels" },
        { "get", "/v1/channels/{channelId}" },
        { "post", "/v1/channels/{channelId}/admins" },
        { "put", "/v1/channels/{channelId}/wallet" },
        { "post", "/v1/channels/{channelId}/friends" },
        { "post", "/v1/ops/wallets/{walletId}/free-cash" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_is_documented_with_a_name_summary_tag_and_bearer_security(string method, string path)
    {
        var operation = (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.False(string.IsNullOrEmpty(operation.GetProperty("operationId").GetString()));
        Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()));
        Assert.NotEmpty(operation.GetProperty("tags").EnumerateArray());
        Assert.Contains(operation.GetProperty("security").EnumerateArray(), requirement => requirement.TryGetProperty("Bearer", out _));
        Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _));
    }

    /// <summary>
    /// The API reference in the repository (docs/api.md) has one "### METHOD /path" heading per operation of the
    /// OpenAPI document, and no other: the reference cannot drift from what the API serves.
    /// </summary>
    [Fact]
    public async Task The_api_reference_documents_exactly_the_operations_of_the_openapi_document()
    {
        var served = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in (await Document()).GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
                served.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
        }

        var reference = await File.ReadAllLinesAsync(Path.Combine(RepositoryRoot(), "docs", "api.md"));
        var documented = new SortedSet<string>(
            reference.Where(line => line.StartsWith("### ", StringComparison.Ordinal) && line.Contains(" /", StringComparison.Ordinal)).Select(line => line[4..].Trim()),
            StringComparer.Ordinal);

        Assert.Equal(served, documented);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Orleans.sln"))) return folder.FullName;
        }
        throw new DirectoryNotFoundException("The repository root (the folder of Orleans.sln) is not above the test's folder.");
    }

    [Theory]
    [InlineData("post", "/v1/wallets", "CreateWallet")]
    [InlineData("post", "/v1/wallets/{walletId}/charges", "ChargeCommand")]
    [InlineData("post", "/v1/channels/{channelId}/friends", "AddFriendsBody")]
    public async Task Bodies_read_by_hand_are_documented(string method, string path, string schema)
    {
        var operation = (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method);

        var reference = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
        Assert.EndsWith($"/{schema}", reference);
        Assert.True(operation.GetProperty("responses").TryGetProperty("400", out _));
    }

    [Fact]
    public async Task Charges_document_their_idempotency_key_and_every_answer()
    {
        var operation = (await Document()).GetProperty("paths").GetProperty("/v1/wallets/{walletId}/charges").GetProperty("post");

        Assert.Contains(operation.GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header" && p.GetProperty("required").GetBoolean());
        var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "201", "202", "402", "400", "401", "403", "404", "422" }, responses);
    }

    [Fact]
    public async Task Pages_document_their_query_parameters()
    {
        var operation = (await Document()).GetProperty("paths").GetProperty("/v1/wallets/{walletId}/transactions").GetProperty("get");

        var names = operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "walletId", "limit", "cursor", "kind" }, names);
    }

    [Fact]
    public async Task Schemas_show_integers_as_integers_enums_and_the_problem_code()
    {
        var schemas = (await Document()).GetProperty("components").GetProperty("schemas");

        var charge = schemas.GetProperty("ChargeCommand").GetProperty("properties");
        Assert.Equal("integer", charge.GetProperty("amount").GetProperty("type").GetString());
        Assert.Equal(["card", "pay_money", "phone", "gift_card"], charge.GetProperty("method").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.True(schemas.GetProperty("ProblemDetails").GetProperty("properties").TryGetProperty("code", out _));
        Assert.True(schemas.GetProperty("HttpValidationProblemDetails").GetProperty("properties").TryGetProperty("code", out _));
    }

    [Fact]
    public async Task The_bearer_scheme_is_declared()
    {
        var scheme = (await Document()).GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");

        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task Health_endpoints_are_not_secured()
    {
        var paths = (await Document()).GetProperty("paths");

        foreach (var path in paths.EnumerateObject().Where(p => !p.Name.StartsWith("/v1/", StringComparison.Ordinal)))
            foreach (var operation in path.Value.EnumerateObject())
                Assert.False(operation.Value.TryGetProperty("security", out _), $"{path.Name} should be anonymous.");
    }

    private async Task<JsonElement> Document()
    {
        using var client = platform.CreateClient();
        return JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
    }
}
