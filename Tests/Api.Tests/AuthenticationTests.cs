using System.Net;
using System.Net.Http.Headers;
using Microsoft.IdentityModel.Tokens;

namespace AdWallet.Api.Tests;

public sealed class AuthenticationTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    [Fact]
    public async Task A_valid_token_reaches_the_endpoint()
    {
        using var client = platform.CreateClientFor("alice");

        using var response = await client.GetAsync("/v1/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_request_without_a_token_is_401_with_a_problem()
    {
        using var client = platform.CreateClient();

        using var response = await client.GetAsync("/v1/me");

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("/v1/wallets/wal_1")]
    [InlineData("/v1/me/notifications")]
    [InlineData("/v1/channels/chn_1")]
    [InlineData("/v1/wallets/wal_1/transactions")]
    public async Task Every_v1_endpoint_needs_a_token(string path)
    {
        using var client = platform.CreateClient();

        using var response = await client.GetAsync(path);

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var token = TestTokens.Create(Claims("alice"), notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddMinutes(-5));

        await AssertRefused(token);
    }

    [Fact]
    public async Task A_token_expired_within_the_clock_skew_is_still_accepted()
    {
        var token = TestTokens.Create(Claims("alice"), notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddSeconds(-5));
        using var client = platform.CreateClientWithToken(token);

        using var response = await client.GetAsync("/v1/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_401()
    {
        var token = TestTokens.Create(Claims("alice"), notBefore: DateTime.UtcNow.AddMinutes(10), expires: DateTime.UtcNow.AddHours(1));

        await AssertRefused(token);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401() =>
        await AssertRefused(TestTokens.Create(Claims("alice"), key: "another-signing-key-of-at-least-32-bytes-xyz"));

    [Fact]
    public async Task A_token_signed_with_another_algorithm_is_401() =>
        await AssertRefused(TestTokens.Create(Claims("alice"), algorithm: SecurityAlgorithms.HmacSha512));

    [Fact]
    public async Task An_unsigned_token_is_401() => await AssertRefused(TestTokens.Unsigned("alice", isOperator: true));

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("")]
    public async Task A_malformed_token_is_401(string token) => await AssertRefused(token);

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("ünïcode")]
    [InlineData("alice\n")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task A_token_whose_sub_is_not_a_user_id_is_401(string sub) =>
        await AssertRefused(TestTokens.Create(Claims(sub)));

    [Fact]
    public async Task A_token_without_sub_is_401() =>
        await AssertRefused(TestTokens.Create(new Dictionary<string, object> { ["name"] = "alice" }));

    [Fact]
    public async Task A_token_with_two_subjects_is_401() =>
        await AssertRefused(TestTokens.Create(new Dictionary<string, object> { ["sub"] = new[] { "alice", "bob" } }));

    [Fact]
    public async Task Another_scheme_than_bearer_is_401()
    {
        using var client = platform.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "YWxpY2U6c2VjcmV0");

        using var response = await client.GetAsync("/v1/me");

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Ops_endpoints_refuse_a_user_without_the_operator_role_with_403()
    {
        using var client = platform.CreateClientFor("alice");

        using var response = await client.PostAsync("/v1/ops/wallets/wal_1/free-cash", Json("""{ "amount": 1000, "expiresAt": "2099-01-01T00:00:00Z" }"""));

        await ProblemAssert.IsProblem(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Ops_endpoints_let_an_operator_through()
    {
        using var client = platform.CreateClientFor("root", isOperator: true);

        // Past authorization, the missing Idempotency-Key is the first thing wrong.
        using var response = await client.PostAsync("/v1/ops/wallets/wal_1/free-cash", Json("""{ "amount": 1000, "expiresAt": "2099-01-01T00:00:00Z" }"""));

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "idempotency_key_required");
    }

    [Fact]
    public async Task Ops_endpoints_need_a_token_first()
    {
        using var client = platform.CreateClient();

        using var response = await client.PostAsync("/v1/ops/wallets/wal_1/free-cash", Json("{}"));

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Health_and_openapi_stay_anonymous()
    {
        using var client = platform.CreateClient();

        foreach (var path in new[] { "/health/live", "/health/ready", "/openapi/v1.json" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private async Task AssertRefused(string token)
    {
        using var client = platform.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {token}");

        using var response = await client.GetAsync("/v1/me");

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    private static Dictionary<string, object> Claims(string sub) => new() { ["sub"] = sub };

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}

public sealed class IssuerTests : IAsyncLifetime
{
    private readonly EmbeddedPlatform _platform = EmbeddedPlatform.With(TestTokens.SigningKey, issuer: "https://adwallet.test");

    [Fact]
    public async Task A_configured_issuer_is_required()
    {
        var claims = new Dictionary<string, object> { ["sub"] = "alice" };

        using var right = _platform.CreateClientWithToken(TestTokens.Create(claims, issuer: "https://adwallet.test"));
        using var wrong = _platform.CreateClientWithToken(TestTokens.Create(claims, issuer: "https://elsewhere.test"));
        using var none = _platform.CreateClientWithToken(TestTokens.Create(claims));

        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/v1/me")).StatusCode);
        await ProblemAssert.IsProblem(await wrong.GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAssert.IsProblem(await none.GetAsync("/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _platform.DisposeAsync();
}
