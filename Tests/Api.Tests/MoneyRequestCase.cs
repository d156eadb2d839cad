using System.Net;
using AdWallet.TestSupport;
using AdWallet.Grains.Payments;

namespace AdWallet.Api.Tests;

/// <summary>The money-moving requests whose idempotency is tested over HTTP.</summary>
public enum MoneyOperation
{
    /// <summary>A card charge of 10,000 won: 201.</summary>
    Charge,

    /// <summary>A card charge the gateway declines: 402, recorded as a failed charge, no ledger entry.</summary>
    DeclinedCharge,

    /// <summary>A refund of 5,000 won of a 50,000-won charge: 201.</summary>
    Refund,

    /// <summary>An operator's grant of 3,000 won of free cash: 201.</summary>
    FreeCash,
}

/// <summary>
/// One money-moving request on a wallet of its own, with everything it needs already done (a refund's charge), what it
/// answers and what it changes. Built from user ids, so that it can be sent again through a restarted platform.
/// </summary>
public sealed record MoneyRequestCase(
    MoneyOperation Operation,
    string MasterId,
    string OperatorId,
    string WalletId,
    string Path,
    string Body,
    string OtherBody,
    HttpStatusCode Status,
    long BalanceChange,
    int NewEntries,
    int NewCharges)
{
    public HttpClient Caller(EmbeddedPlatform platform) =>
        Operation == MoneyOperation.FreeCash ? platform.CreateClientFor(OperatorId, isOperator: true) : platform.CreateClientFor(MasterId);

    /// <summary>The wallet's master, who sees its balance, ledger and charges.</summary>
    public HttpClient Viewer(EmbeddedPlatform platform) => platform.CreateClientFor(MasterId);

    public Task<HttpResponseMessage> Send(HttpClient caller, string key, string? body = null) =>
        caller.SendJson(HttpMethod.Post, Path, body ?? Body, key);

    public static async Task<MoneyRequestCase> Prepare(EmbeddedPlatform platform, MoneyOperation operation)
    {
        var masterId = $"idem_{Guid.NewGuid():N}";
        var operatorId = $"ops_{Guid.NewGuid():N}";
        using var master = platform.CreateClientFor(masterId);
        var walletId = await master.CreateBusinessWallet("Idempotent");
        var charges = $"/v1/wallets/{walletId}/charges";
        string CardCharge(long amount, string card) =>
            $$"""{ "amount": {{amount}}, "method": "card", "termsAccepted": true, "cardNumber": "{{card}}" }""";

        switch (operation)
        {
            case MoneyOperation.Charge:
                return new(operation, masterId, operatorId, walletId, charges,
                    CardCharge(10_000, TestCards.Succeeding), CardCharge(20_000, TestCards.Succeeding),
                    HttpStatusCode.Created, 10_000, 1, 1);
            case MoneyOperation.DeclinedCharge:
                return new(operation, masterId, operatorId, walletId, charges,
                    CardCharge(10_000, TestCards.Declined), CardCharge(10_000, TestCards.InsufficientFunds),
                    HttpStatusCode.PaymentRequired, 0, 0, 1);
            case MoneyOperation.Refund:
                var chargeId = await master.ChargeOk(walletId, 50_000);
                return new(operation, masterId, operatorId, walletId, $"/v1/wallets/{walletId}/refunds",
                    $$"""{ "chargeId": "{{chargeId}}", "amount": 5000 }""", $$"""{ "chargeId": "{{chargeId}}", "amount": 6000 }""",
                    HttpStatusCode.Created, -5_000, 1, 0);
            case MoneyOperation.FreeCash:
                var expiresAt = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ");
                return new(operation, masterId, operatorId, walletId, $"/v1/ops/wallets/{walletId}/free-cash",
                    $$"""{ "amount": 3000, "expiresAt": "{{expiresAt}}" }""", $$"""{ "amount": 4000, "expiresAt": "{{expiresAt}}" }""",
                    HttpStatusCode.Created, 3_000, 1, 0);
            default:
                throw new ArgumentOutOfRangeException(nameof(operation));
        }
    }
}

/// <summary>An answer as a client sees it: status, body and whether it was marked as a replay.</summary>
public sealed record Answer(HttpStatusCode Status, string Body, bool Replayed, string? Location)
{
    public static async Task<Answer> Of(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";
        return new(response.StatusCode, await response.Content.ReadAsStringAsync(), replayed, response.Headers.Location?.OriginalString);
    }

    /// <summary>The same answer, but for the replay mark.</summary>
    public bool SameAs(Answer other) => Status == other.Status && Body == other.Body && Location == other.Location;
}
