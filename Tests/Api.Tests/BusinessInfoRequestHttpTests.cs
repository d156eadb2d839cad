using System.Net;

namespace AdWallet.Api.Tests;

/// <summary>Seed 001 over HTTP: the master requests a change of the business information, an operator decides it.</summary>
public sealed class BusinessInfoRequestHttpTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    [Fact]
    public async Task The_master_asks_an_operator_approves_once_and_the_wallet_shows_the_change()
    {
        using var master = platform.CreateClientFor($"u_{Guid.NewGuid():N}");
        using var op = platform.CreateClientFor("bir_operator", isOperator: true);
        var walletId = await master.CreateBusinessWallet();

        var request = await master.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/business-info-requests",
            """{ "businessRegistrationNumber": "9876543210", "businessName": "Kim's Cafe" }""").Expect(HttpStatusCode.Created);
        var requestId = request.Text("id");

        Assert.Equal(("pending", walletId), (request.Text("status"), request.Text("walletId")));
        await ProblemAssert.IsProblem(await master.SendJson(HttpMethod.Post, $"/v1/wallets/{walletId}/business-info-requests", """{ "businessName": "Other" }"""),
            HttpStatusCode.Conflict, "business_info_request_pending");
        Assert.Contains(await op.GetAllPages("/v1/ops/business-info-requests"), r => r.Text("id") == requestId);

        var approved = await op.PostAsync($"/v1/ops/business-info-requests/{requestId}/approve", null).Expect(HttpStatusCode.OK);
        var again = await op.PostAsync($"/v1/ops/business-info-requests/{requestId}/approve", null).Expect(HttpStatusCode.OK);

        Assert.Equal("approved", approved.Text("status"));
        Assert.Equal(approved.GetRawText(), again.GetRawText());
        var wallet = await master.Wallet(walletId);
        Assert.Equal(("9876543210", "Kim's Cafe"), (wallet.Text("businessRegistrationNumber"), wallet.Text("businessName")));
        Assert.DoesNotContain(await op.GetAllPages("/v1/ops/business-info-requests"), r => r.Text("id") == requestId);
        Assert.Equal([requestId], (await master.GetAllPages($"/v1/wallets/{walletId}/business-info-requests")).Select(r => r.Text("id")));
        await ProblemAssert.IsProblem(await op.PostAsync($"/v1/ops/business-info-requests/{requestId}/reject", null),
            HttpStatusCode.Conflict, "business_info_request_decided");
    }

    [Fact]
    public async Task A_personal_wallet_and_an_unknown_request_are_refused()
    {
        using var master = platform.CreateClientFor($"u_{Guid.NewGuid():N}");
        using var op = platform.CreateClientFor("bir_operator", isOperator: true);
        await master.VerifyIdentity();
        var personal = (await master.SendJson(HttpMethod.Post, "/v1/wallets", """{ "name": "Me", "kind": "personal" }""").Expect(HttpStatusCode.Created)).Text("id");

        await ProblemAssert.IsProblem(await master.SendJson(HttpMethod.Post, $"/v1/wallets/{personal}/business-info-requests", """{ "businessName": "Me Inc." }"""),
            HttpStatusCode.UnprocessableEntity, "business_wallet_required");
        Assert.Empty(await master.GetAllPages($"/v1/wallets/{personal}/business-info-requests"));
        await ProblemAssert.IsProblem(await op.PostAsync($"/v1/ops/business-info-requests/{personal}-bir1/approve", null), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblem(await op.PostAsync("/v1/ops/business-info-requests/no_such_request/reject", null), HttpStatusCode.NotFound, "not_found");
    }
}
