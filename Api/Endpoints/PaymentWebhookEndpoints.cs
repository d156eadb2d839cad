using System.Text.Json;
using AdWallet.Api.Problems;
using AdWallet.Api.Requests;
using AdWallet.Grains;
using AdWallet.Grains.Wallets;
using AdWallet.Payments.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Orleans;

namespace AdWallet.Api.Endpoints;

/// <summary>
/// <c>POST /v1/payment-webhooks</c>: the payment gateway's notices of captures and cancellations. No bearer token: the
/// gateway signs each body with the shared webhook secret, and a bad or stale signature is 401 with nothing changed.
/// A notice only prompts the wallet to settle that payment from the gateway's current answer, so notices that come
/// twice, late or out of order all end the same. A notice about a payment no wallet made is acknowledged (2xx), so that
/// the gateway stops redelivering it.
/// </summary>
internal static partial class PaymentWebhookEndpoints
{
    private static readonly JsonSerializerOptions WebhookJson = new(JsonSerializerDefaults.Web);

    public static void MapPaymentWebhookEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/payment-webhooks", Receive)
            .AllowAnonymous()
            .WithTags("Payments")
            .WithName("ReceivePaymentWebhook")
            .WithSummary("A signed notice from the payment gateway: 204 once applied or already applied; 401 for a bad or stale signature")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Receive(
        HttpContext http, IGrainFactory grains, IOptions<PaymentGatewayOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        var body = await JsonBody.ReadBytesAsync(http.Request);
        var gateway = options.Value;
        var signed = WebhookSignature.IsValid(gateway.WebhookSecret,
            http.Request.Headers[WebhookSignature.TimestampHeader].ToString() is { Length: > 0 } timestamp ? timestamp : null,
            http.Request.Headers[WebhookSignature.SignatureHeader].ToString() is { Length: > 0 } signature ? signature : null,
            body, time.GetUtcNow(), gateway.WebhookTolerance);
        if (!signed)
            throw new ApiProblemException(new ApiProblem(StatusCodes.Status401Unauthorized, ProblemCodes.InvalidSignature,
                "The webhook's signature or timestamp is missing, wrong or stale."));

        var notice = Parse(body);
        var logger = loggers.CreateLogger(typeof(PaymentWebhookEndpoints));
        var walletId = notice.Data.OrderId.IndexOf('/') is var slash and > 0 ? notice.Data.OrderId[..slash] : null;
        if (walletId is null || !Formats.IsResourceId(walletId))
        {
            LogUnknownPayment(logger, notice.EventId, notice.Data.OrderId);
            return TypedResults.NoContent();
        }
        try
        {
            await grains.GetGrain<IWalletGrain>(walletId).ReconcilePayment(notice.Data.OrderId);
        }
        catch (DomainException exception) when (exception.Code == ErrorCodes.NotFound)
        {
            LogUnknownPayment(logger, notice.EventId, notice.Data.OrderId);
        }
        return TypedResults.NoContent();
    }

    private static PaymentWebhook Parse(byte[] body)
    {
        PaymentWebhook? notice;
        try
        {
            notice = JsonSerializer.Deserialize<PaymentWebhook>(body, WebhookJson);
        }
        catch (JsonException exception)
        {
            throw new ApiProblemException(ApiProblems.InvalidJson($"The webhook is not valid JSON: {exception.Message}"));
        }
        if (notice?.Data?.OrderId is not { Length: > 0 } || notice.EventId is null)
            throw new ApiProblemException(ApiProblems.ValidationFailed("data.orderId", "is required."));
        return notice;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment webhook {EventId} is about {OrderId}, which no wallet made; acknowledged")]
    private static partial void LogUnknownPayment(ILogger logger, string eventId, string orderId);
}
