using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Mime;
using System.Text.Json;
using AdWallet.Grains;
using AdWallet.Grains.Payments;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace AdWallet.Payments.Http;

/// <summary>
/// The payment gateway over HTTP (docs/gateway.md). Every call goes through the <c>payment-gateway</c> resilience
/// pipeline: timeouts, retries of the calls that are safe to repeat, a circuit breaker. A failure is reported as
/// <see cref="PaymentGatewayUnavailableException"/> only when no attempt can have reached the gateway (the connection
/// was refused, or the circuit is open); any other failure may have left a capture behind and is reported as
/// <see cref="PaymentGatewayTimeoutException"/>, which callers treat as "outcome unknown".
/// </summary>
public sealed partial class HttpPaymentGateway(HttpClient http, ILogger<HttpPaymentGateway> logger) : IPaymentGateway
{
    public const string HttpClientName = "payment-gateway";
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private const int MaxPageSize = 1_000;

    public async Task<CardRegistration> RegisterCardAsync(string number, string expiry, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/billing-keys") { Content = Json(new BillingKeyRequest(number, expiry)) };
        using var response = await SendAsync(request, "register a card", cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var key = await ReadAsync<BillingKeyAnswer>(response, cancellationToken);
            return new CardRegistration(key.BillingKey, null);
        }
        return new CardRegistration(null, await DeclineCodeAsync(response, "register a card", cancellationToken));
    }

    public async Task<CaptureResult> CaptureAsync(PaymentRequest payment, CancellationToken cancellationToken = default)
    {
        var card = payment.CardNumber is { } number ? new PaymentCard(number, null) : null;
        var body = new PaymentRequestMessage(payment.Reference, payment.Amount, payment.Method, payment.CardToken, card, payment.Metadata);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/payments") { Content = Json(body) };
        using var response = await SendAsync(request, $"capture {payment.Reference}", cancellationToken);
        if (response.IsSuccessStatusCode) return CaptureResult.Captured((await ReadAsync<PaymentMessage>(response, cancellationToken)).PaymentKey);
        return CaptureResult.Declined(await DeclineCodeAsync(response, $"capture {payment.Reference}", cancellationToken));
    }

    public async Task<IReadOnlyList<Capture>> FindCapturesAsync(string reference, CancellationToken cancellationToken = default) =>
        (await ListAsync($"v1/payments?orderId={Uri.EscapeDataString(reference)}", cancellationToken)).Payments.ConvertAll(ToCapture);

    public async Task<IReadOnlyList<Capture>> ListCapturesAsync(string referencePrefix, string? afterCaptureId, int limit, CancellationToken cancellationToken = default)
    {
        var query = $"v1/payments?orderIdPrefix={Uri.EscapeDataString(referencePrefix)}{After(afterCaptureId)}&limit={PageSize(limit)}";
        return (await ListAsync(query, cancellationToken)).Payments.ConvertAll(ToCapture);
    }

    public async Task<IReadOnlyList<Capture>> ListCapturesAsync(DateTimeOffset from, DateTimeOffset to, string? afterCaptureId, int limit, CancellationToken cancellationToken = default)
    {
        var query = $"v1/payments?from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}"
            + $"&to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}{After(afterCaptureId)}&limit={PageSize(limit)}";
        return (await ListAsync(query, cancellationToken)).Payments.ConvertAll(ToCapture);
    }

    public async Task RefundAsync(string captureId, long amount, string refundReference, string reason, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/payments/{Uri.EscapeDataString(captureId)}/cancel")
        {
            Content = Json(new CancelRequestMessage(refundReference, amount, reason)),
        };
        using var response = await SendAsync(request, $"cancel {captureId}", cancellationToken);
        if (response.IsSuccessStatusCode) return;
        var problem = await ProblemAsync(response, cancellationToken);
        throw new InvalidOperationException($"The gateway refused to cancel {amount} won of {captureId}: {(int)response.StatusCode} {problem?.Code} {problem?.Detail}");
    }

    private async Task<PaymentList> ListAsync(string query, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, query);
        using var response = await SendAsync(request, "list payments", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await ProblemAsync(response, cancellationToken);
            throw new InvalidOperationException($"The gateway refused to list payments: {(int)response.StatusCode} {problem?.Code} {problem?.Detail}");
        }
        return await ReadAsync<PaymentList>(response, cancellationToken);
    }

    /// <summary>Sends through the resilience pipeline, and says whether a failure can have reached the gateway.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        var attempts = GatewayAttempts.Track(request);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or BrokenCircuitException or Polly.Timeout.TimeoutRejectedException
                                          && !cancellationToken.IsCancellationRequested)
        {
            var unreached = !attempts.MayHaveReached && GatewayAttempts.IsUnreached(exception);
            LogGatewayFailed(logger, exception, what, unreached);
            if (unreached) throw new PaymentGatewayUnavailableException($"The payment gateway could not be reached to {what}.", exception);
            throw new PaymentGatewayTimeoutException($"The payment gateway did not answer in time to {what}.", exception);
        }
        if ((int)response.StatusCode >= 500)
        {
            // Retries are spent: the gateway failed, perhaps after doing the work.
            response.Dispose();
            LogGatewayErrored(logger, what, (int)response.StatusCode);
            throw new PaymentGatewayTimeoutException($"The payment gateway failed to {what}: {(int)response.StatusCode}.");
        }
        return response;
    }

    /// <summary>
    /// A JSON body serialized up front: with its length known it goes out with a Content-Length header, not in chunks,
    /// which costs both ends less per request than <c>JsonContent</c>'s streamed body.
    /// </summary>
    private static ByteArrayContent Json<T>(T body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, WebJson));
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypeNames.Application.Json) { CharSet = "utf-8" };
        return content;
    }

    private static async Task<string> DeclineCodeAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var problem = await ProblemAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity && problem?.Code is { } code)
            return code is ErrorCodes.CardDeclined or ErrorCodes.InsufficientFunds or ErrorCodes.ExpiredCard or ErrorCodes.ProcessingError ? code : ErrorCodes.CardDeclined;
        // A refusal that is not a decline (a bad request, a wrong key) is the platform's fault, not the payer's.
        throw new InvalidOperationException($"The gateway refused to {what}: {(int)response.StatusCode} {problem?.Code} {problem?.Detail}");
    }

    private static async Task<GatewayProblem?> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<GatewayProblem>(cancellationToken);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(cancellationToken)
        ?? throw new PaymentGatewayTimeoutException($"The payment gateway answered {(int)response.StatusCode} with no body.");

    private static Capture ToCapture(PaymentMessage payment) =>
        new(payment.PaymentKey, payment.OrderId, payment.Amount, payment.CancelledAmount, payment.Metadata, payment.ApprovedAt);

    private static string After(string? afterCaptureId) => afterCaptureId is null ? "" : $"&after={Uri.EscapeDataString(afterCaptureId)}";

    private static int PageSize(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Math.Min(limit, MaxPageSize);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The payment gateway call to {What} failed (unreached: {Unreached})")]
    private static partial void LogGatewayFailed(ILogger logger, Exception exception, string what, bool unreached);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The payment gateway answered {Status} to {What}")]
    private static partial void LogGatewayErrored(ILogger logger, string what, int status);
}
