using System.Net;
using System.Text;

namespace AdWallet.Api.Tests;

/// <summary>Requests refused for their shape, before any grain is asked.</summary>
public sealed class RequestShapeTests(EmbeddedPlatform platform) : IClassFixture<EmbeddedPlatform>
{
    private const string ValidCharge = """{ "amount": 10000, "method": "card", "termsAccepted": true, "cardNumber": "4242424242424242" }""";

    [Theory]
    [InlineData("{")]
    [InlineData("{ \"name\": }")]
    [InlineData("not json")]
    [InlineData("{ \"name\": \"a\" } trailing")]
    [InlineData("{ \"name\": \"a\", \"name\": \"b\", \"kind\": \"business\" }")]
    [InlineData("")]
    public async Task A_body_that_is_not_json_is_400_invalid_json(string body)
    {
        using var client = platform.CreateClientFor("alice");

        using var response = await client.PostAsync("/v1/wallets", Json(body));

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_400_invalid_json()
    {
        using var client = platform.CreateClientFor("alice");
        var content = new ByteArrayContent([(byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
        content.Headers.ContentType = new("application/json");

        using var response = await client.PostAsync("/v1/wallets", content);

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "invalid_json");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"wallet\"")]
    [InlineData("42")]
    [InlineData("null")]
    public async Task A_body_that_is_not_an_object_is_400_naming_the_body(string body)
    {
        using var client = platform.CreateClientFor("alice");

        using var response = await client.PostAsync("/v1/wallets", Json(body));

        await ProblemAssert.IsValidationProblem(response, "body");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=latin1")]
    public async Task A_body_that_is_not_json_by_its_content_type_is_415(string contentType)
    {
        using var client = platform.CreateClientFor("alice");
        var content = new StringContent("""{ "name": "Shop", "kind": "personal" }""");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await client.PostAsync("/v1/wallets", content);

        await ProblemAssert.IsProblem(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task A_body_without_a_content_type_is_415()
    {
        using var client = platform.CreateClientFor("alice");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{ "name": "Shop", "kind": "personal" }"""));

        using var response = await client.PostAsync("/v1/wallets", content);

        await ProblemAssert.IsProblem(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/merge-patch+json")]
    [InlineData("Application/JSON")]
    public async Task Json_media_types_are_accepted(string contentType)
    {
        using var client = platform.CreateClientFor("alice");
        var content = new StringContent("""{ "name": "", "kind": "personal" }""");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await client.PostAsync("/v1/wallets", content);

        // Read and validated: only the empty name is wrong.
        await ProblemAssert.IsValidationProblem(response, "name");
    }

    [Fact]
    public async Task A_1_MiB_body_is_413()
    {
        using var client = platform.CreateClientFor("alice");
        var body = $$"""{ "name": "{{new string('a', 1024 * 1024)}}", "kind": "personal" }""";

        using var response = await client.PostAsync("/v1/wallets", Json(body));

        await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task A_large_body_without_content_length_is_413()
    {
        using var client = platform.CreateClientFor("alice");
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "name": "{{new string('a', 100_000)}}" }""")));
        content.Headers.ContentType = new("application/json");
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/wallets") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblem(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Theory]
    [InlineData("/v1/wallets", "POST", """{ "name": "#", "kind": "personal" }""", "name")]
    [InlineData("/v1/wallets/wal_1", "PATCH", """{ "name": "#" }""", "name")]
    [InlineData("/v1/wallets/wal_1", "PATCH", """{ "taxInvoiceEmail": "#@example.com" }""", "taxInvoiceEmail")]
    [InlineData("/v1/channels", "POST", """{ "name": "#" }""", "name")]
    [InlineData("/v1/me/identity-verification", "POST", """{ "name": "#", "birthDate": "1990-01-01", "phone": "+821012345678" }""", "name")]
    [InlineData("/v1/wallets/wal_1/members", "POST", """{ "userId": "#" }""", "userId")]
    [InlineData("/v1/channels/chn_1/admins", "POST", """{ "userId": "#" }""", "userId")]
    [InlineData("/v1/channels/chn_1/wallet", "PUT", """{ "walletId": "#" }""", "walletId")]
    public async Task A_10000_character_string_is_400_naming_the_field(string path, string method, string template, string field)
    {
        using var client = platform.CreateClientFor("alice");
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(template.Replace("#", new string('x', 10_000))) };

        using var response = await client.SendAsync(request);

        var body = await ProblemAssert.IsValidationProblem(response, field);
        Assert.Contains("at most", body.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Theory]
    [InlineData("/v1/wallets/wal_1/charges", ValidCharge)]
    [InlineData("/v1/wallets/wal_1/refunds", """{ "chargeId": "chg_1" }""")]
    public async Task A_money_moving_post_without_an_idempotency_key_is_400(string path, string body)
    {
        using var client = platform.CreateClientFor("alice");

        using var response = await client.PostAsync(path, Json(body));

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "idempotency_key_required");
    }

    [Theory]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("tab\there")]
    public async Task A_malformed_idempotency_key_is_400_naming_the_header(string key)
    {
        using var client = platform.CreateClientFor("alice");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/wallets/wal_1/charges") { Content = Json(ValidCharge) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsValidationProblem(response, "Idempotency-Key");
    }

    [Fact]
    public async Task An_idempotency_key_longer_than_255_characters_is_400()
    {
        using var client = platform.CreateClientFor("alice");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/wallets/wal_1/charges") { Content = Json(ValidCharge) };
        request.Headers.Add("Idempotency-Key", new string('k', 256));

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsValidationProblem(response, "Idempotency-Key");
    }

    [Theory]
    [InlineData("""{ "amount": 1.5, "method": "phone", "termsAccepted": true }""", "amount")]
    [InlineData("""{ "amount": 1000.0, "method": "phone", "termsAccepted": true }""", "amount")]
    [InlineData("""{ "amount": 1e4, "method": "phone", "termsAccepted": true }""", "amount")]
    [InlineData("""{ "amount": "1000", "method": "phone", "termsAccepted": true }""", "amount")]
    [InlineData("""{ "amount": 999, "method": "phone", "termsAccepted": true }""", "amount")]
    [InlineData("""{ "amount": -1000, "method": "phone", "termsAccepted": true }""", "amount")]
    [InlineData("""{ "amount": 10000001, "method": "phone", "termsAccepted": true }""", "amount")]
    [InlineData("""{ "amount": 99999999999999999999999, "method": "phone", "termsAccepted": true }""", "amount")]
    [InlineData("""{ "method": "phone", "termsAccepted": true }""", "amount")]
    [InlineData("""{ "amount": 1000, "method": "cash", "termsAccepted": true }""", "method")]
    [InlineData("""{ "amount": 1000, "method": "Card", "termsAccepted": true }""", "method")]
    [InlineData("""{ "amount": 1000, "method": "phone", "termsAccepted": "true" }""", "termsAccepted")]
    [InlineData("""{ "amount": 1000, "method": "phone", "termsAccepted": 1 }""", "termsAccepted")]
    [InlineData("""{ "amount": 1000, "method": "card", "termsAccepted": true }""", "cardId")]
    [InlineData("""{ "amount": 1000, "method": "card", "termsAccepted": true, "cardNumber": "4242424242424241" }""", "cardNumber")]
    [InlineData("""{ "amount": 1000, "method": "card", "termsAccepted": true, "cardNumber": "4242 4242 4242 4242" }""", "cardNumber")]
    [InlineData("""{ "amount": 1000, "method": "card", "termsAccepted": true, "cardId": "card_1", "cardNumber": "4242424242424242" }""", "cardNumber")]
    [InlineData("""{ "amount": 1000, "method": "phone", "termsAccepted": true, "cardId": "card_1" }""", "cardId")]
    public async Task A_charge_with_a_bad_field_is_400_naming_it(string body, string field)
    {
        using var response = await PostMoney("/v1/wallets/wal_1/charges", body);

        await ProblemAssert.IsValidationProblem(response, field);
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once()
    {
        using var response = await PostMoney("/v1/wallets/wal_1/charges", """{ "amount": "lots", "method": 3, "termsAccepted": "yes" }""");

        await ProblemAssert.IsValidationProblem(response, "amount", "method", "termsAccepted");
    }

    [Theory]
    [InlineData("""{ "chargeId": "chg_1", "amount": 0 }""", "amount")]
    [InlineData("""{ "chargeId": "chg_1", "amount": 10000001 }""", "amount")]
    [InlineData("""{ "chargeId": "chg/1" }""", "chargeId")]
    [InlineData("""{ "amount": 1000 }""", "chargeId")]
    public async Task A_refund_with_a_bad_field_is_400_naming_it(string body, string field)
    {
        using var response = await PostMoney("/v1/wallets/wal_1/refunds", body);

        await ProblemAssert.IsValidationProblem(response, field);
    }

    [Theory]
    [InlineData("""{ "amount": 0, "expiresAt": "2099-01-01T00:00:00Z" }""", "amount")]
    [InlineData("""{ "amount": 1000, "expiresAt": "2099-01-01" }""", "expiresAt")]
    [InlineData("""{ "amount": 1000, "expiresAt": "2099-01-01T00:00:00" }""", "expiresAt")]
    [InlineData("""{ "amount": 1000, "expiresAt": "tomorrow" }""", "expiresAt")]
    [InlineData("""{ "amount": 1000, "expiresAt": "2099-02-30T00:00:00Z" }""", "expiresAt")]
    [InlineData("""{ "amount": 1000 }""", "expiresAt")]
    public async Task A_free_cash_grant_with_a_bad_field_is_400_naming_it(string body, string field)
    {
        using var response = await PostMoney("/v1/ops/wallets/wal_1/free-cash", body, isOperator: true);

        await ProblemAssert.IsValidationProblem(response, field);
    }

    [Theory]
    [InlineData("/v1/wallets", "POST", """{ "name": "Shop", "kind": "company" }""", "kind")]
    [InlineData("/v1/wallets", "POST", """{ "name": "Shop", "kind": "business" }""", "businessRegistrationNumber")]
    [InlineData("/v1/wallets", "POST", """{ "name": "Shop", "kind": "business", "businessRegistrationNumber": "12345" }""", "businessRegistrationNumber")]
    [InlineData("/v1/wallets", "POST", """{ "name": "Shop", "kind": "business", "businessRegistrationNumber": "١٢٣٤٥٦٧٨٩٠" }""", "businessRegistrationNumber")]
    [InlineData("/v1/wallets", "POST", """{ "name": "Shop", "kind": "personal", "taxInvoiceEmail": "not-an-email" }""", "taxInvoiceEmail")]
    [InlineData("/v1/wallets", "POST", """{ "name": "   ", "kind": "personal" }""", "name")]
    [InlineData("/v1/wallets", "POST", """{ "name": "a\u0000b", "kind": "personal" }""", "name")]
    [InlineData("/v1/wallets", "POST", """{ "name": "\ud800", "kind": "personal" }""", "name")]
    [InlineData("/v1/wallets", "POST", """{ "name": 12, "kind": "personal" }""", "name")]
    [InlineData("/v1/me/identity-verification", "POST", """{ "name": "Kim", "birthDate": "1990-13-01", "phone": "+821012345678" }""", "birthDate")]
    [InlineData("/v1/me/identity-verification", "POST", """{ "name": "Kim", "birthDate": "1990-01-01", "phone": "01012345678" }""", "phone")]
    [InlineData("/v1/me/identity-verification", "POST", """{ "name": "Kim", "birthDate": "1990-01-01", "phone": "+8210" }""", "phone")]
    [InlineData("/v1/wallets/wal_1/cards", "POST", """{ "number": "4242424242424242", "expiry": "13/30", "kind": "credit" }""", "expiry")]
    [InlineData("/v1/wallets/wal_1/cards", "POST", """{ "number": "4242424242424242", "expiry": "1/30", "kind": "credit" }""", "expiry")]
    [InlineData("/v1/wallets/wal_1/cards", "POST", """{ "number": "12345", "expiry": "12/30", "kind": "credit" }""", "number")]
    [InlineData("/v1/wallets/wal_1/cards", "POST", """{ "number": "4242424242424242", "expiry": "12/30", "kind": "debit" }""", "kind")]
    [InlineData("/v1/wallets/wal_1/auto-pay", "PUT", """{ "enabled": "true" }""", "enabled")]
    [InlineData("/v1/wallets/wal_1/auto-pay", "PUT", """{ "enabled": true, "dailyLimit": 1500 }""", "dailyLimit")]
    [InlineData("/v1/wallets/wal_1/auto-pay", "PUT", """{ "enabled": true, "dailyLimit": 999 }""", "dailyLimit")]
    [InlineData("/v1/wallets/wal_1/auto-pay", "PUT", """{ "enabled": true, "dailyLimit": 100001000 }""", "dailyLimit")]
    [InlineData("/v1/wallets/wal_1/members", "POST", """{ "userId": "bad id" }""", "userId")]
    [InlineData("/v1/channels/chn_1/friends", "POST", """{ "phones": "+821012345678" }""", "phones")]
    [InlineData("/v1/channels/chn_1/friends", "POST", """{ "phones": ["+821012345678", "12"] }""", "phones[1]")]
    [InlineData("/v1/channels/chn_1/friends", "POST", """{ "phones": [null] }""", "phones[0]")]
    public async Task A_bad_field_is_400_naming_it(string path, string method, string body, string field)
    {
        using var client = platform.CreateClientFor("alice");
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json(body) };

        using var response = await client.SendAsync(request);

        await ProblemAssert.IsValidationProblem(response, field);
    }

    [Fact]
    public async Task More_than_1000_phones_is_400()
    {
        using var client = platform.CreateClientFor("alice");
        var phones = string.Join(",", Enumerable.Range(0, 1001).Select(i => $"\"+8210{i:D8}\""));

        using var response = await client.PostAsync("/v1/channels/chn_1/friends", Json($$"""{ "phones": [{{phones}}] }"""));

        await ProblemAssert.IsValidationProblem(response, "phones");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("limit=1&limit=2", "limit")]
    [InlineData("kind=bonus", "kind")]
    public async Task A_bad_query_parameter_is_400_naming_it(string query, string field)
    {
        using var client = platform.CreateClientFor("alice");

        using var response = await client.GetAsync($"/v1/wallets/wal_1/transactions?{query}");

        await ProblemAssert.IsValidationProblem(response, field);
    }

    [Theory]
    [InlineData("/v1/wallets/bad!id")]
    [InlineData("/v1/wallets/bad%20id")]
    [InlineData("/v1/wallets/wal_1/charges/chg.1")]
    [InlineData("/v1/channels/%C3%A9")]
    public async Task A_path_id_that_cannot_exist_is_404(string path)
    {
        using var client = platform.CreateClientFor("alice");

        using var response = await client.GetAsync(path);

        await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_path_id_longer_than_100_characters_is_404()
    {
        using var client = platform.CreateClientFor("alice");

        using var response = await client.GetAsync($"/v1/wallets/{new string('w', 101)}");

        await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        using var client = platform.CreateClientFor("alice");

        using var response = await client.PostAsync("/v1/channels", Json("""{ "name": "Cafe", "color": "blue", "extra": { "deep": [1, 2] } }"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostMoney(string path, string body, bool isOperator = false)
    {
        using var client = platform.CreateClientFor(isOperator ? "root" : "alice", isOperator);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
