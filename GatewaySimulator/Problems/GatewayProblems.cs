namespace AdWallet.GatewaySimulator.Problems;

/// <summary>The codes of docs/gateway.md, one factory each, so that codes and wording stay in one place.</summary>
internal static class GatewayProblems
{
    public const string InvalidRequestCode = "invalid_request";
    public const string UnauthorizedCode = "unauthorized";
    public const string PaymentNotFoundCode = "payment_not_found";
    public const string NotFoundCode = "not_found";
    public const string IdempotencyConflictCode = "idempotency_conflict";
    public const string CancelAmountExceededCode = "cancel_amount_exceeded";
    public const string InternalErrorCode = "internal_error";

    public static GatewayProblem InvalidRequest(string detail) => new(StatusCodes.Status400BadRequest, InvalidRequestCode, detail);

    public static GatewayProblem Unauthorized() =>
        new(StatusCodes.Status401Unauthorized, UnauthorizedCode, "Send Authorization: Basic base64(secretKey + \":\") with the merchant's secret key.");

    public static GatewayProblem PaymentNotFound(string paymentKey) =>
        new(StatusCodes.Status404NotFound, PaymentNotFoundCode, $"There is no payment '{paymentKey}'.");

    public static GatewayProblem IdempotencyConflict(string cancelId) =>
        new(StatusCodes.Status409Conflict, IdempotencyConflictCode, $"The cancel id '{cancelId}' was used with another payment or amount.");

    public static GatewayProblem Declined(string code) =>
        new(StatusCodes.Status422UnprocessableEntity, code, $"The payment method was refused ({code}); nothing was captured.");

    public static GatewayProblem CancelAmountExceeded(long requested, long remaining) =>
        new(StatusCodes.Status422UnprocessableEntity, CancelAmountExceededCode, $"{requested} won cannot be cancelled: {remaining} won is left of the payment.");

    public static GatewayProblem InternalError(string detail = "The gateway failed (a fault asked for it).") =>
        new(StatusCodes.Status500InternalServerError, InternalErrorCode, detail);

    /// <summary>The problem for a status set without a body (routing, binding, the server).</summary>
    public static GatewayProblem ForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => Unauthorized(),
        StatusCodes.Status404NotFound => new(status, NotFoundCode, "There is nothing at this address."),
        >= 500 => InternalError("An unexpected error occurred."),
        _ => new(status, InvalidRequestCode, "The request is not valid."),
    };
}
