using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AdWallet.Api.Tests;

/// <summary>
/// A funded business wallet (50,000 won charged by card 4242…, a registered card, a member), connected to a channel,
/// with an ad account of its master on it (ON) holding a running emoticon campaign (budget 100,000, 100 a
/// participation), and its master's and an operator's clients. Bad input is sent to it and must change nothing.
/// </summary>
public sealed class FundedWalletWorld : IAsyncLifetime
{
    public EmbeddedPlatform Platform { get; } = new();

    public string MasterId { get; } = $"bad_master_{Guid.NewGuid():N}"[..30];

    public string MemberId { get; } = $"bad_member_{Guid.NewGuid():N}"[..30];

    public HttpClient Master { get; private set; } = null!;

    public HttpClient Operator { get; private set; } = null!;

    public string WalletId { get; private set; } = "";

    public string ChargeId { get; private set; } = "";

    public string CardId { get; private set; } = "";

    public string ChannelId { get; private set; } = "";

    /// <summary>Another wallet of the master, not connected to the channel: what a valid PUT .../wallet would connect.</summary>
    public string SpareWalletId { get; private set; } = "";

    /// <summary>The master's ad account on the wallet.</summary>
    public string AdAccountId { get; private set; } = "";

    /// <summary>A running emoticon campaign of the ad account: budget 100,000, 100 a participation.</summary>
    public string CampaignId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Master = Platform.CreateClientFor(MasterId);
        Operator = Platform.CreateClientFor("bad_input_operator", isOperator: true);
        WalletId = await Master.CreateBusinessWallet("Funded");
        ChargeId = await Master.ChargeOk(WalletId, 50_000);
        CardId = await Master.AddCard(WalletId);
        await Master.AddWalletMember(WalletId, MemberId);
        ChannelId = await Master.CreateChannel("Funded channel");
        await Master.ConnectWallet(ChannelId, WalletId);
        SpareWalletId = await Master.CreateBusinessWallet("Spare");
        AdAccountId = await Master.CreateAdAccount(WalletId, "Funded account");
        CampaignId = (await Master.CreateCampaign(AdAccountId, AdvertisingCalls.CampaignBody(100_000, 100))).GetProperty("id").GetString()!;
    }

    /// <summary>
    /// The wallet (balance, members, cards), its ledger, charges, auto-pay attempts and business-information requests,
    /// its channel, its master, the ad account (members, invitations, agencies, status, campaigns) and the campaign
    /// (budget, spend, status, creative).
    /// </summary>
    public Task<string> Snapshot() =>
        Tests.Snapshot.OfWallet(Master, WalletId,
            (Master, $"/v1/channels/{ChannelId}"),
            (Master, "/v1/me"),
            (Master, "/v1/me/notifications"),
            (Master, $"/v1/ad-accounts/{AdAccountId}"),
            (Master, $"/v1/campaigns/{CampaignId}"),
            (Master, $"/v1/wallets/{WalletId}/business-info-requests"));

    /// <summary>
    /// Replaces the placeholders of a template: <c>$wallet</c>, <c>$spare</c>, <c>$channel</c>, <c>$charge</c>,
    /// <c>$card</c>, <c>$member</c>, <c>$account</c>, <c>$campaign</c>.
    /// </summary>
    public string Fill(string template) =>
        template.Replace("$wallet", WalletId).Replace("$spare", SpareWalletId).Replace("$channel", ChannelId).Replace("$charge", ChargeId)
            .Replace("$card", CardId).Replace("$member", MemberId).Replace("$account", AdAccountId).Replace("$campaign", CampaignId);

    public async Task DisposeAsync()
    {
        Master.Dispose();
        Operator.Dispose();
        await Platform.DisposeAsync();
    }
}

/// <summary>
/// Every kind of bad input to every endpoint that takes a body, on a funded wallet: each is a 4xx
/// <c>application/problem+json</c> with its stable code (never a 500), and afterwards the wallet, its ledger, charges,
/// cards, members, its channel and its master are exactly as before (full JSON snapshots).
/// </summary>
public sealed class BadInputTests(FundedWalletWorld world) : IClassFixture<FundedWalletWorld>
{
    public enum Kind { Text, Integer, Boolean, TextArray }

    /// <param name="Valid">A valid JSON value; placeholders as in <see cref="FundedWalletWorld.Fill"/>.</param>
    /// <param name="WhenMissing">What leaving the field out answers, when not 400 validation_failed naming it.</param>
    public sealed record Field(string Name, Kind Kind, string Valid, bool Required = true, Expectation? WhenMissing = null);

    public sealed record Expectation(HttpStatusCode Status, string Code, string? ErrorField = null);

    /// <summary>A bad input beyond the generated ones: a body template and what it answers.</summary>
    public sealed record Extra(string Case, string Body, Expectation Expected);

    public sealed record BodyEndpoint(string Name, HttpMethod Method, string Path, bool MovesMoney, bool AsOperator, Field[] Fields, Extra[] Extras)
    {
        public string ValidBody(IEnumerable<Field>? fields = null) =>
            "{ " + string.Join(", ", (fields ?? Fields).Select(f => $"\"{f.Name}\": {f.Valid}")) + " }";

        public string With(Field field, string value) =>
            "{ " + string.Join(", ", Fields.Select(f => $"\"{f.Name}\": {(f == field ? value : f.Valid)}")) + " }";

        public string Without(Field field) => ValidBody(Fields.Where(f => f != field));
    }

    public sealed record BadInput(string Endpoint, string Case, Func<FundedWalletWorld, HttpRequestMessage> Build, Expectation Expected);

    private static Expectation Invalid(string field) => new(HttpStatusCode.BadRequest, "validation_failed", field);

    private static readonly string LongText = new('x', 10_000);

    /// <summary>The endpoints that take a body, one line each, with their fields and the bad inputs only they have.</summary>
    public static readonly IReadOnlyList<BodyEndpoint> Endpoints =
    [
        new("POST /v1/me/identity-verification", HttpMethod.Post, "/v1/me/identity-verification", false, false,
            [new("name", Kind.Text, "\"Kim Minji\""), new("birthDate", Kind.Text, "\"1990-04-01\""), new("phone", Kind.Text, "\"+821012345678\"")],
            [new("birthDate not a date", """{ "name": "Kim", "birthDate": "1990-02-30", "phone": "+821012345678" }""", Invalid("birthDate")),
             new("phone without +", """{ "name": "Kim", "birthDate": "1990-01-01", "phone": "01012345678" }""", Invalid("phone"))]),
        new("POST /v1/wallets", HttpMethod.Post, "/v1/wallets", false, false,
            [new("name", Kind.Text, "\"Second\""), new("kind", Kind.Text, "\"business\""),
             new("businessRegistrationNumber", Kind.Text, "\"1234567890\"", Required: false), new("taxInvoiceEmail", Kind.Text, "\"tax@example.com\"", Required: false)],
            [new("business without a registration number", """{ "name": "Second", "kind": "business" }""", Invalid("businessRegistrationNumber")),
             new("registration number of 9 digits", """{ "name": "Second", "kind": "business", "businessRegistrationNumber": "123456789" }""", Invalid("businessRegistrationNumber")),
             new("unknown kind", """{ "name": "Second", "kind": "company" }""", Invalid("kind")),
             new("personal without verified identity", """{ "name": "Second", "kind": "personal" }""", new(HttpStatusCode.Forbidden, "identity_verification_required")),
             new("personal with a tax-invoice email", """{ "name": "Second", "kind": "personal", "taxInvoiceEmail": "tax@example.com" }""",
                 new(HttpStatusCode.UnprocessableEntity, "business_wallet_required"))]),
        new("PATCH /v1/wallets/{walletId}", HttpMethod.Patch, "/v1/wallets/$wallet", false, false,
            [new("name", Kind.Text, "\"Renamed\"", Required: false), new("taxInvoiceEmail", Kind.Text, "\"books@example.com\"", Required: false)],
            [new("email without @", """{ "taxInvoiceEmail": "books.example.com" }""", Invalid("taxInvoiceEmail")),
             new("blank name", """{ "name": "   " }""", Invalid("name")),
             new("name with a control character", """{ "name": "a\u0007b" }""", Invalid("name"))]),
        new("POST /v1/wallets/{walletId}/business-info-requests", HttpMethod.Post, "/v1/wallets/$wallet/business-info-requests", false, false,
            [new("businessRegistrationNumber", Kind.Text, "\"9876543210\"", Required: false), new("businessName", Kind.Text, "\"New Co.\"", Required: false)],
            [new("neither field", """{ }""", Invalid("businessRegistrationNumber")),
             new("both null", """{ "businessRegistrationNumber": null, "businessName": null }""", Invalid("businessRegistrationNumber")),
             new("registration number of 9 digits", """{ "businessRegistrationNumber": "123456789" }""", Invalid("businessRegistrationNumber")),
             new("registration number with a dash", """{ "businessRegistrationNumber": "123-45-67890" }""", Invalid("businessRegistrationNumber")),
             new("blank business name", """{ "businessName": "   " }""", Invalid("businessName"))]),
        new("POST /v1/wallets/{walletId}/members", HttpMethod.Post, "/v1/wallets/$wallet/members", false, false,
            [new("userId", Kind.Text, "\"someone_new\"")],
            [new("user id with a space", """{ "userId": "bad id" }""", Invalid("userId"))]),
        new("POST /v1/wallets/{walletId}/charges", HttpMethod.Post, "/v1/wallets/$wallet/charges", true, false,
            [new("amount", Kind.Integer, "10000"), new("method", Kind.Text, "\"card\""),
             new("termsAccepted", Kind.Boolean, "true", WhenMissing: new(HttpStatusCode.UnprocessableEntity, "terms_not_accepted")),
             new("cardNumber", Kind.Text, "\"4242424242424242\"", WhenMissing: Invalid("cardId"))],
            [new("amount 999, below the minimum", """{ "amount": 999, "method": "phone", "termsAccepted": true }""", Invalid("amount")),
             new("amount 10,000,001, above the maximum", """{ "amount": 10000001, "method": "phone", "termsAccepted": true }""", Invalid("amount")),
             new("terms not accepted", """{ "amount": 10000, "method": "phone", "termsAccepted": false }""", new(HttpStatusCode.UnprocessableEntity, "terms_not_accepted")),
             new("unknown method", """{ "amount": 10000, "method": "cash", "termsAccepted": true }""", Invalid("method")),
             new("card number failing Luhn", """{ "amount": 10000, "method": "card", "termsAccepted": true, "cardNumber": "4242424242424241" }""", Invalid("cardNumber")),
             new("cardId and cardNumber", """{ "amount": 10000, "method": "card", "termsAccepted": true, "cardId": "$card", "cardNumber": "4242424242424242" }""", Invalid("cardNumber")),
             new("cardNumber with method phone", """{ "amount": 10000, "method": "phone", "termsAccepted": true, "cardNumber": "4242424242424242" }""", Invalid("cardNumber")),
             new("unknown cardId", """{ "amount": 10000, "method": "card", "termsAccepted": true, "cardId": "card_unknown" }""", new(HttpStatusCode.NotFound, "not_found"))]),
        new("POST /v1/wallets/{walletId}/refunds", HttpMethod.Post, "/v1/wallets/$wallet/refunds", true, false,
            [new("chargeId", Kind.Text, "\"$charge\""), new("amount", Kind.Integer, "1000", Required: false)],
            [new("unknown charge", """{ "chargeId": "chg_unknown" }""", new(HttpStatusCode.NotFound, "not_found")),
             new("more than the charge", """{ "chargeId": "$charge", "amount": 50001 }""", new(HttpStatusCode.Conflict, "refund_exceeds_available")),
             new("chargeId with a slash", """{ "chargeId": "chg/1" }""", Invalid("chargeId"))]),
        new("POST /v1/wallets/{walletId}/cards", HttpMethod.Post, "/v1/wallets/$wallet/cards", false, false,
            [new("number", Kind.Text, "\"4242424242424242\""), new("expiry", Kind.Text, "\"12/39\""), new("kind", Kind.Text, "\"check\"")],
            [new("expired card", """{ "number": "4242424242424242", "expiry": "01/20", "kind": "check" }""", new(HttpStatusCode.PaymentRequired, "expired_card")),
             new("declined card", """{ "number": "4000000000000002", "expiry": "12/39", "kind": "check" }""", new(HttpStatusCode.PaymentRequired, "card_declined")),
             new("month 13", """{ "number": "4242424242424242", "expiry": "13/39", "kind": "check" }""", Invalid("expiry")),
             new("kind debit", """{ "number": "4242424242424242", "expiry": "12/39", "kind": "debit" }""", Invalid("kind"))]),
        new("PUT /v1/wallets/{walletId}/auto-pay", HttpMethod.Put, "/v1/wallets/$wallet/auto-pay", false, false,
            [new("enabled", Kind.Boolean, "true"), new("dailyLimit", Kind.Integer, "100000", Required: false)],
            [new("dailyLimit not in steps of 1,000", """{ "enabled": true, "dailyLimit": 1500 }""", Invalid("dailyLimit")),
             new("dailyLimit above 100,000,000", """{ "enabled": true, "dailyLimit": 100001000 }""", Invalid("dailyLimit"))]),
        new("POST /v1/channels", HttpMethod.Post, "/v1/channels", false, false,
            [new("name", Kind.Text, "\"Second channel\""), new("type", Kind.Text, "\"general\"", Required: false)],
            [new("type premium", """{ "name": "C", "type": "premium" }""", Invalid("type")),
             new("type BUSINESS in capitals", """{ "name": "C", "type": "BUSINESS" }""", Invalid("type")),
             new("type true, a boolean", """{ "name": "C", "type": true }""", Invalid("type"))]),
        new("POST /v1/channels/{channelId}/admins", HttpMethod.Post, "/v1/channels/$channel/admins", false, false,
            [new("userId", Kind.Text, "\"someone_new\"")],
            [new("user id too long", $$"""{ "userId": "{{new string('u', 65)}}" }""", Invalid("userId"))]),
        new("PUT /v1/channels/{channelId}/wallet", HttpMethod.Put, "/v1/channels/$channel/wallet", false, false,
            [new("walletId", Kind.Text, "\"$spare\"")],
            [new("unknown wallet", """{ "walletId": "wal_unknown" }""", new(HttpStatusCode.NotFound, "not_found"))]),
        new("POST /v1/channels/{channelId}/friends", HttpMethod.Post, "/v1/channels/$channel/friends", false, false,
            [new("phones", Kind.TextArray, "[\"+821011112222\"]")],
            [new("a bad phone among good ones", """{ "phones": ["+821011112222", "12"] }""", Invalid("phones[1]")),
             new("1,001 phones", $$"""{ "phones": [{{string.Join(",", Enumerable.Range(0, 1001).Select(i => $"\"+8210{i:D8}\""))}}] }""", Invalid("phones"))]),
        new("POST /v1/channels/{channelId}/friend-groups", HttpMethod.Post, "/v1/channels/$channel/friend-groups", false, false,
            [new("name", Kind.Text, "\"VIP\""), new("customerFileId", Kind.Text, "\"cf_unknown\"")],
            [new("unknown customer file", """{ "name": "VIP", "customerFileId": "cf_unknown" }""", new(HttpStatusCode.NotFound, "not_found"))]),
        new("POST /v1/ops/wallets/{walletId}/free-cash", HttpMethod.Post, "/v1/ops/wallets/$wallet/free-cash", true, true,
            [new("amount", Kind.Integer, "3000"), new("expiresAt", Kind.Text, "\"2099-01-01T00:00:00Z\"")],
            [new("expiresAt in the past", """{ "amount": 3000, "expiresAt": "2001-01-01T00:00:00Z" }""", Invalid("")),
             new("expiresAt without an offset", """{ "amount": 3000, "expiresAt": "2099-01-01T00:00:00" }""", Invalid("expiresAt")),
             new("amount above 10,000,000", """{ "amount": 10000001, "expiresAt": "2099-01-01T00:00:00Z" }""", Invalid("amount"))]),

        // Ad accounts
        new("POST /v1/ad-accounts", HttpMethod.Post, "/v1/ad-accounts", false, false,
            [new("name", Kind.Text, "\"Second account\""), new("walletId", Kind.Text, "\"$wallet\"")],
            [new("unknown wallet", """{ "name": "Second account", "walletId": "wal_unknown" }""", new(HttpStatusCode.NotFound, "not_found")),
             new("walletId with a slash", """{ "name": "Second account", "walletId": "wal/1" }""", Invalid("walletId")),
             new("walletId with a space", """{ "name": "Second account", "walletId": "wal 1" }""", Invalid("walletId")),
             new("blank name", """{ "name": "   ", "walletId": "$wallet" }""", Invalid("name")),
             new("name of 101 characters", $$"""{ "name": "{{new string('n', 101)}}", "walletId": "$wallet" }""", Invalid("name")),
             new("name with a control character", """{ "name": "a\u0007b", "walletId": "$wallet" }""", Invalid("name"))]),
        new("PUT /v1/ad-accounts/{adAccountId}/status", HttpMethod.Put, "/v1/ad-accounts/$account/status", false, false,
            [new("status", Kind.Text, "\"off\"")],
            [new("status OFF in capitals", """{ "status": "OFF" }""", Invalid("status")),
             new("status paused", """{ "status": "paused" }""", Invalid("status")),
             new("status true, a boolean", """{ "status": true }""", Invalid("status")),
             new("status with a trailing space", """{ "status": "off " }""", Invalid("status")),
             new("status as an array", """{ "status": ["off"] }""", Invalid("status"))]),
        new("POST /v1/ad-accounts/{adAccountId}/invitations", HttpMethod.Post, "/v1/ad-accounts/$account/invitations", false, false,
            [new("userId", Kind.Text, "\"someone_new\"")],
            [new("user id with a space", """{ "userId": "bad id" }""", Invalid("userId")),
             new("user id too long", $$"""{ "userId": "{{new string('u', 65)}}" }""", Invalid("userId")),
             new("user id with non-ASCII letters", """{ "userId": "사용자" }""", Invalid("userId"))]),
        new("POST /v1/ad-accounts/{adAccountId}/campaigns", HttpMethod.Post, "/v1/ad-accounts/$account/campaigns", false, false,
            [new("name", Kind.Text, "\"Spring emoticons\""), new("kind", Kind.Text, "\"emoticon\""),
             new("budget", Kind.Integer, "100000"), new("pricePerParticipation", Kind.Integer, "100"),
             new("startsAt", Kind.Text, "\"2099-01-01T00:00:00+09:00\"", Required: false),
             new("endsAt", Kind.Text, "\"2099-02-01T00:00:00+09:00\"", Required: false),
             new("creativeId", Kind.Text, "\"creative_1\"", Required: false)],
            [new("kind coupon", """{ "name": "C", "kind": "coupon", "budget": 100000, "pricePerParticipation": 100 }""", Invalid("kind")),
             new("kind EMOTICON in capitals", """{ "name": "C", "kind": "EMOTICON", "budget": 100000, "pricePerParticipation": 100 }""", Invalid("kind")),
             new("kind true, a boolean", """{ "name": "C", "kind": true, "budget": 100000, "pricePerParticipation": 100 }""", Invalid("kind")),
             new("budget 10,000,000,001, above the maximum", """{ "name": "C", "kind": "emoticon", "budget": 10000000001, "pricePerParticipation": 100 }""", Invalid("budget")),
             new("pricePerParticipation 10,000,001, above the maximum", """{ "name": "C", "kind": "emoticon", "budget": 100000000, "pricePerParticipation": 10000001 }""", Invalid("pricePerParticipation")),
             new("budget below the price", """{ "name": "C", "kind": "emoticon", "budget": 299, "pricePerParticipation": 300 }""", Invalid("")),
             new("endsAt in the past", """{ "name": "C", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100, "endsAt": "2001-01-01T00:00:00Z" }""", Invalid("")),
             new("endsAt before startsAt", """{ "name": "C", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100, "startsAt": "2099-02-01T00:00:00Z", "endsAt": "2099-01-01T00:00:00Z" }""", Invalid("")),
             new("endsAt equal to startsAt", """{ "name": "C", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100, "startsAt": "2099-02-01T00:00:00Z", "endsAt": "2099-02-01T09:00:00+09:00" }""", Invalid("")),
             new("startsAt without an offset", """{ "name": "C", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100, "startsAt": "2099-01-01T00:00:00" }""", Invalid("startsAt")),
             new("startsAt a date only", """{ "name": "C", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100, "startsAt": "2099-01-01" }""", Invalid("startsAt")),
             new("startsAt with a space for T", """{ "name": "C", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100, "startsAt": "2099-01-01 00:00:00Z" }""", Invalid("startsAt")),
             new("startsAt a Unix time", """{ "name": "C", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100, "startsAt": 4070908800 }""", Invalid("startsAt")),
             new("endsAt on 30 February", """{ "name": "C", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100, "endsAt": "2099-02-30T00:00:00Z" }""", Invalid("endsAt")),
             new("endsAt at 25 o'clock", """{ "name": "C", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100, "endsAt": "2099-01-01T25:00:00Z" }""", Invalid("endsAt")),
             new("endsAt with an offset of +25:00", """{ "name": "C", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100, "endsAt": "2099-01-01T00:00:00+25:00" }""", Invalid("endsAt")),
             new("creativeId with a slash", """{ "name": "C", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100, "creativeId": "cr/1" }""", Invalid("creativeId")),
             new("blank name", """{ "name": "   ", "kind": "emoticon", "budget": 100000, "pricePerParticipation": 100 }""", Invalid("name"))]),

        // Campaigns
        new("PATCH /v1/campaigns/{campaignId}", HttpMethod.Patch, "/v1/campaigns/$campaign", false, false,
            [new("name", Kind.Text, "\"Renamed\"", Required: false), new("budget", Kind.Integer, "200000", Required: false),
             new("endsAt", Kind.Text, "\"2099-03-01T00:00:00Z\"", Required: false)],
            [new("budget while the campaign runs", """{ "budget": 200000 }""", new(HttpStatusCode.Conflict, "budget_locked")),
             new("budget while the campaign runs, with a valid name", """{ "name": "Renamed", "budget": 200000 }""", new(HttpStatusCode.Conflict, "budget_locked")),
             new("budget 10,000,000,001, above the maximum", """{ "budget": 10000000001 }""", Invalid("budget")),
             new("endsAt in the past", """{ "endsAt": "2001-01-01T00:00:00Z" }""", Invalid("")),
             new("endsAt without an offset", """{ "endsAt": "2099-03-01T00:00:00" }""", Invalid("endsAt")),
             new("endsAt on 30 February", """{ "endsAt": "2099-02-30T00:00:00Z" }""", Invalid("endsAt")),
             new("blank name", """{ "name": "   " }""", Invalid("name")),
             new("name with a control character", """{ "name": "a\u0007b" }""", Invalid("name"))]),
        new("PUT /v1/campaigns/{campaignId}/creative", HttpMethod.Put, "/v1/campaigns/$campaign/creative", false, false,
            [new("creativeId", Kind.Text, "\"creative_2\"")],
            [new("creativeId with a slash", """{ "creativeId": "cr/2" }""", Invalid("creativeId")),
             new("creativeId with a space", """{ "creativeId": "cr 2" }""", Invalid("creativeId")),
             new("creativeId of 101 characters", $$"""{ "creativeId": "{{new string('c', 101)}}" }""", Invalid("creativeId"))]),
        new("POST /v1/campaigns/{campaignId}/participations", HttpMethod.Post, "/v1/campaigns/$campaign/participations", false, false,
            [new("userId", Kind.Text, "\"fan_1\""), new("phone", Kind.Text, "\"+821012345678\"")],
            [new("phone without +", """{ "userId": "fan_1", "phone": "821012345678" }""", Invalid("phone")),
             new("phone in the national format", """{ "userId": "fan_1", "phone": "010-1234-5678" }""", Invalid("phone")),
             new("phone with dashes", """{ "userId": "fan_1", "phone": "+82-10-1234-5678" }""", Invalid("phone")),
             new("phone with letters", """{ "userId": "fan_1", "phone": "+8210CALLME" }""", Invalid("phone")),
             new("phone of 7 digits", """{ "userId": "fan_1", "phone": "+8210123" }""", Invalid("phone")),
             new("phone of 16 digits", """{ "userId": "fan_1", "phone": "+8210123456789012" }""", Invalid("phone")),
             new("phone with Arabic-Indic digits", """{ "userId": "fan_1", "phone": "+٨٢١٠١٢٣٤٥٦٧٨" }""", Invalid("phone")),
             new("phone with a final newline", """{ "userId": "fan_1", "phone": "+821012345678\n" }""", Invalid("phone")),
             new("phone a number, not a string", """{ "userId": "fan_1", "phone": 821012345678 }""", Invalid("phone")),
             new("user id with a space", """{ "userId": "fan 1", "phone": "+821012345678" }""", Invalid("userId")),
             new("overseas phone on an emoticon campaign", """{ "userId": "fan_1", "phone": "+14155550123" }""", new(HttpStatusCode.UnprocessableEntity, "overseas_not_eligible"))]),
    ];

    /// <summary>Every bad input, built once (the 1 MiB bodies among them).</summary>
    public static IReadOnlyList<BadInput> All => AllCases.Value;

    private static readonly Lazy<IReadOnlyList<BadInput>> AllCases = new(() => [.. Endpoints.SelectMany(Cases)]);

    private static IEnumerable<BadInput> Cases(BodyEndpoint e)
    {
        BadInput Body(string name, string body, Expectation expected, string contentType = "application/json") =>
            new(e.Name, name, w => Request(w, e, w.Fill(body), contentType, Guid.NewGuid().ToString("N")), expected);

        var first = e.Fields[0];
        yield return Body("invalid JSON: truncated", $$"""{ "{{first.Name}}": """, new(HttpStatusCode.BadRequest, "invalid_json"));
        yield return Body("invalid JSON: trailing comma", e.ValidBody()[..^2] + ", }", new(HttpStatusCode.BadRequest, "invalid_json"));
        yield return Body("invalid JSON: a field twice", e.ValidBody()[..^2] + $", \"{first.Name}\": {first.Valid} }}", new(HttpStatusCode.BadRequest, "invalid_json"));
        yield return Body("invalid JSON: empty body", "", new(HttpStatusCode.BadRequest, "invalid_json"));
        yield return Body("not an object: an array", $"[{e.ValidBody()}]", Invalid("body"));
        yield return Body("not JSON by content type: text/plain", e.ValidBody(), new(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"), "text/plain");
        yield return Body("1 MiB body (valid fields and padding)", e.ValidBody()[..^2] + $", \"padding\": \"{new string('p', 1024 * 1024)}\" }}",
            new(HttpStatusCode.RequestEntityTooLarge, "payload_too_large"));
        if (e.Fields.Any(f => f.Required))
        {
            var firstRequired = e.Fields.First(f => f.Required);
            yield return Body("missing required fields: {}", "{}", Invalid(firstRequired.Name));
        }

        foreach (var field in e.Fields)
        {
            var f = field.Name;
            if (field.Required)
            {
                yield return Body($"{f}: missing", e.Without(field), field.WhenMissing ?? Invalid(f));
                yield return Body($"{f}: null", e.With(field, "null"), field.WhenMissing ?? Invalid(f));
            }
            switch (field.Kind)
            {
                case Kind.Text:
                    yield return Body($"{f}: a number, not a string", e.With(field, "12"), Invalid(f));
                    yield return Body($"{f}: an object, not a string", e.With(field, """{ "value": "x" }"""), Invalid(f));
                    yield return Body($"{f}: 10,000 characters", e.With(field, $"\"{LongText}\""), Invalid(f));
                    yield return Body($"{f}: empty", e.With(field, "\"\""), Invalid(f));
                    break;
                case Kind.TextArray:
                    yield return Body($"{f}: a string, not an array", e.With(field, "\"+821011112222\""), Invalid(f));
                    yield return Body($"{f}: an item of 10,000 characters", e.With(field, $"[\"{LongText}\"]"), Invalid($"{f}[0]"));
                    yield return Body($"{f}: a number in the array", e.With(field, "[821011112222]"), Invalid($"{f}[0]"));
                    break;
                case Kind.Boolean:
                    yield return Body($"{f}: the string \"true\"", e.With(field, "\"true\""), Invalid(f));
                    yield return Body($"{f}: the number 1", e.With(field, "1"), Invalid(f));
                    break;
                case Kind.Integer:
                    yield return Body($"{f}: a string", e.With(field, "\"1000\""), Invalid(f));
                    yield return Body($"{f}: zero", e.With(field, "0"), Invalid(f));
                    yield return Body($"{f}: negative", e.With(field, "-1000"), Invalid(f));
                    yield return Body($"{f}: overflowing 99999999999999999999", e.With(field, "99999999999999999999"), Invalid(f));
                    yield return Body($"{f}: fractional 1000.5", e.With(field, "1000.5"), Invalid(f));
                    yield return Body($"{f}: 1000.0", e.With(field, "1000.0"), Invalid(f));
                    yield return Body($"{f}: exponent 1e4", e.With(field, "1e4"), Invalid(f));
                    yield return Body($"{f}: long.MaxValue + 1", e.With(field, "9223372036854775808"), Invalid(f));
                    break;
            }
        }

        foreach (var extra in e.Extras)
            yield return Body(extra.Case, extra.Body, extra.Expected);

        if (e.MovesMoney)
        {
            yield return new(e.Name, "Idempotency-Key missing", w => Request(w, e, w.Fill(e.ValidBody()), "application/json"),
                new(HttpStatusCode.BadRequest, "idempotency_key_required"));
            // An empty value is no key at all: answered as a missing one.
            yield return new(e.Name, "Idempotency-Key empty", w => Request(w, e, w.Fill(e.ValidBody()), "application/json", ""),
                new(HttpStatusCode.BadRequest, "idempotency_key_required"));
            foreach (var (name, keys) in new (string, string[])[]
            {
                ("Idempotency-Key with a leading space", [" key"]),
                ("Idempotency-Key of 256 characters", [new string('k', 256)]),
                ("Idempotency-Key with a control character", ["key\u0001"]),
                ("Idempotency-Key given twice", ["key-1", "key-2"]),
            })
            {
                yield return new(e.Name, name, w => Request(w, e, w.Fill(e.ValidBody()), "application/json", keys), Invalid("Idempotency-Key"));
            }
        }
    }

    private static HttpRequestMessage Request(FundedWalletWorld w, BodyEndpoint e, string body, string contentType, params string[] keys)
    {
        var request = new HttpRequestMessage(e.Method, w.Fill(e.Path))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new(contentType);
        if (keys.Length > 0) request.Headers.TryAddWithoutValidation("Idempotency-Key", keys);
        return request;
    }

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (var input in All) rows.Add(input.Endpoint, input.Case);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Bad_input_is_a_4xx_problem_with_its_code_and_changes_nothing(string endpoint, string badInput)
    {
        var input = All.Single(i => i.Endpoint == endpoint && i.Case == badInput);
        var line = Endpoints.Single(e => e.Name == endpoint);
        var client = line.AsOperator ? world.Operator : world.Master;
        // A snapshot of its own: a row asserts that it changed nothing, whatever the rows before it did.
        var before = await world.Snapshot();

        using var request = input.Build(world);
        using var response = await client.SendAsync(request);

        Assert.InRange((int)response.StatusCode, 400, 499);
        var problem = await ProblemAssert.IsProblem(response, input.Expected.Status, input.Expected.Code);
        if (input.Expected.Code == "validation_failed")
        {
            var errors = problem.GetProperty("errors");
            Assert.Equal(JsonValueKind.Object, errors.ValueKind);
            if (input.Expected.ErrorField is { Length: > 0 } field)
                Assert.True(errors.TryGetProperty(field, out _), $"Expected an error for '{field}': {problem}");
        }
        var after = await world.Snapshot();
        Assert.Equal(before, after);
        await LedgerInvariant.AssertAddsUp(world.Master, world.WalletId);
    }

    [Fact]
    public async Task The_world_is_funded_as_described_and_stays_so()
    {
        var ledger = await LedgerInvariant.AssertAddsUp(world.Master, world.WalletId);
        var wallet = await world.Master.Wallet(world.WalletId);

        Assert.Equal((0, 50_000, 50_000), (ledger.Free, ledger.Paid, ledger.Total));
        Assert.Single(ledger.Entries);
        Assert.Equal(world.CardId, Assert.Single(wallet.GetProperty("cards").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(world.MemberId, Assert.Single(wallet.GetProperty("memberIds").EnumerateArray()).GetString());
        Assert.Equal("Funded", wallet.GetProperty("name").GetString());
        Assert.False(wallet.GetProperty("autoPay").GetProperty("enabled").GetBoolean());
        Assert.Single(await world.Master.GetAllPages($"/v1/wallets/{world.WalletId}/charges"));
        Assert.False((await world.Master.GetOk("/v1/me")).GetProperty("identityVerified").GetBoolean());

        var account = await world.Master.AdAccount(world.AdAccountId);
        Assert.Equal(("on", world.WalletId, world.MasterId), (account.Text("status"), account.Text("walletId"), account.Text("masterId")));
        Assert.Equal([world.CampaignId], account.Strings("campaignIds"));
        Assert.Empty(account.Strings("memberIds"));
        var campaign = await world.Master.Campaign(world.CampaignId);
        Assert.Equal(("running", "emoticon", 100_000L, 100L, 0L, 0L),
            (campaign.Text("status"), campaign.Text("kind"), campaign.Number("budget"), campaign.Number("pricePerParticipation"), campaign.Number("spent"), campaign.Number("participations")));
    }

    /// <summary>The POST, PUT and PATCH endpoints that take no body: mapped without a declared JSON body.</summary>
    private static readonly string[] BodylessEndpoints =
    [
        "POST /v1/wallets/{walletId}/cards/{cardId}/primary",
        "POST /v1/ad-accounts/{adAccountId}/invitations/accept",
        "POST /v1/ad-accounts/{adAccountId}/invitations/reject",
        "POST /v1/ad-accounts/{adAccountId}/agency-requests",
        "POST /v1/ad-accounts/{adAccountId}/agency-requests/{agencyId}/accept",
        "POST /v1/ad-accounts/{adAccountId}/agency-requests/{agencyId}/reject",
        "POST /v1/campaigns/{campaignId}/stop",
        "POST /v1/ops/dashboard-session",
        "POST /v1/ops/business-info-requests/{requestId}/approve",
        "POST /v1/ops/business-info-requests/{requestId}/reject",
        // Its body is the gateway's signed bytes, read as they came: an unsigned or badly signed one is 401 before any JSON rule.
        "POST /v1/payment-webhooks",
    ];

    /// <summary>Endpoints whose body is a file, not JSON: their bad inputs are in CustomerFileHttpTests.</summary>
    private static readonly string[] FileEndpoints = ["POST /v1/channels/{channelId}/customer-files"];

    [Fact]
    public void Every_endpoint_with_a_body_has_its_line()
    {
        var withBody = AuthorizationMatrixTests.Endpoints
            .Where(e => e.Name.StartsWith("POST") || e.Name.StartsWith("PUT") || e.Name.StartsWith("PATCH"))
            .Select(e => string.Join(' ', e.Name.Split(' ').Take(2)))
            .Where(name => !BodylessEndpoints.Contains(name) && !FileEndpoints.Contains(name))
            .ToHashSet();

        Assert.Equal(withBody.Order(), Endpoints.Select(e => e.Name).Order());
    }

    [Fact]
    public void The_bodyless_endpoints_are_exactly_those_mapped_without_a_json_body()
    {
        // What the API maps: every /v1 POST, PUT and PATCH, and whether it declares a body (AcceptsJson). A body
        // endpoint cannot hide in the list above, and the list cannot keep an endpoint that has since taken a body.
        var mapped = world.Platform.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1") == true)
            .Select(e => (Name: $"{e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single()} {Normalize(e.RoutePattern.RawText!)}",
                HasBody: e.Metadata.GetMetadata<IAcceptsMetadata>() is not null))
            .Where(e => e.Name.StartsWith("POST") || e.Name.StartsWith("PUT") || e.Name.StartsWith("PATCH"))
            .ToList();

        Assert.Equal(BodylessEndpoints.Order(), mapped.Where(e => !e.HasBody).Select(e => e.Name).Order());
        Assert.Equal(Endpoints.Select(e => e.Name).Concat(FileEndpoints).Order(), mapped.Where(e => e.HasBody).Select(e => e.Name).Order());
    }

    private static string Normalize(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route.TrimEnd('/'), @"\{([A-Za-z]+)(:[a-z]+)?\}", "{$1}");
}
