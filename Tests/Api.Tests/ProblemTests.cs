using System.Net;
using AdWallet.Api.Problems;
using AdWallet.Grains;

namespace AdWallet.Api.Tests;

public sealed class ProblemTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    [Fact]
    public async Task A_grains_domain_refusal_crosses_orleans_and_keeps_its_problem_code()
    {
        // The wallet grain refuses (DomainException refund_exceeds_available); the exception travels back through
        // Orleans' serialization to the API, which must still answer its 409 and its code.
        using var master = platform.CreateClientFor($"u_{Guid.NewGuid():N}");
        var walletId = await master.CreateBusinessWallet();
        var chargeId = await master.ChargeOk(walletId, 10_000);

        using var response = await master.Refund(walletId, chargeId, 10_001, Guid.NewGuid().ToString("N"));

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.Conflict, ErrorCodes.RefundExceedsAvailable);
        Assert.Contains("10,000", problem.GetProperty("detail").GetString());
        Assert.Equal(10_000, (await LedgerInvariant.AssertAddsUp(master, walletId)).Total);
    }

    [Theory]
    [InlineData("/nothing")]
    [InlineData("/v1/nothing")]
    [InlineData("/v1/wallets/wal_1/nothing")]
    public async Task An_unknown_route_is_a_404_problem(string path)
    {
        using var client = platform.CreateClientFor("alice");

        using var response = await client.GetAsync(path);

        await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem_whatever_the_client_accepts()
    {
        using var client = platform.CreateClient();
        client.DefaultRequestHeaders.Add("Accept", "text/html");

        using var response = await client.GetAsync("/nothing");

        await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("DELETE", "/v1/me")]
    [InlineData("PUT", "/v1/wallets")]
    [InlineData("GET", "/v1/wallets/wal_1/refunds")]
    public async Task A_wrong_method_is_a_405_problem(string method, string path)
    {
        using var client = platform.CreateClientFor("alice");

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ProblemAssert.IsProblem(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.NotEmpty(response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData(ErrorCodes.NotFound, 404)]
    [InlineData(ErrorCodes.Forbidden, 403)]
    [InlineData(ErrorCodes.IdentityVerificationRequired, 403)]
    [InlineData(ErrorCodes.ValidationFailed, 400)]
    [InlineData(ErrorCodes.TermsNotAccepted, 422)]
    [InlineData(ErrorCodes.IdempotencyKeyReused, 422)]
    [InlineData(ErrorCodes.CreditCardRequired, 422)]
    [InlineData(ErrorCodes.AlreadyExists, 409)]
    [InlineData(ErrorCodes.NegativeBalance, 409)]
    [InlineData(ErrorCodes.RefundExceedsAvailable, 409)]
    [InlineData(ErrorCodes.CardLimit, 409)]
    [InlineData(ErrorCodes.CannotRemoveMaster, 409)]
    [InlineData(ErrorCodes.BusinessChannelRequired, 409)]
    [InlineData(ErrorCodes.BusinessWalletRequired, 422)]
    [InlineData(ErrorCodes.BusinessInfoRequestPending, 409)]
    [InlineData(ErrorCodes.BusinessInfoRequestDecided, 409)]
    [InlineData(ErrorCodes.ReviewQueueFull, 503)]
    [InlineData("some_future_code", 409)]
    public void Domain_codes_map_to_their_status(string code, int status)
    {
        var problem = DomainProblems.From(new DomainException(code, "Refused."));

        Assert.Equal(status, problem.Status);
        Assert.Equal(code, problem.Code);
        Assert.Equal("Refused.", problem.Detail);
    }

    [Fact]
    public void A_domain_validation_failure_still_carries_an_errors_object()
    {
        var details = ProblemWriter.ToProblemDetails(DomainProblems.From(new DomainException(ErrorCodes.ValidationFailed, "expiresAt is in the past.")));

        Assert.IsType<Microsoft.AspNetCore.Http.HttpValidationProblemDetails>(details);
        Assert.Equal("validation_failed", details.Extensions["code"]);
    }
}
