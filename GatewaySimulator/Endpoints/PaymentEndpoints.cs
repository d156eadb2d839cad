using AdWallet.GatewaySimulator.Contracts;
using AdWallet.GatewaySimulator.Faults;
using AdWallet.GatewaySimulator.Payments;
using AdWallet.GatewaySimulator.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.GatewaySimulator.Endpoints;

internal static partial class PaymentEndpoints
{
    public static void MapPayments(this RouteGroupBuilder v1)
    {
        v1.MapPost("/payments", CaptureAsync);
        v1.MapGet("/payments", Find);
        v1.MapPost("/payments/{paymentKey}/cancel", CancelAsync);
    }

    private static async Task<Results<Ok<PaymentView>, ProblemHttpResult>> CaptureAsync(
        PaymentRequest? request, PaymentLedger ledger, GatewayFaults faults, ILogger<PaymentLedger> logger, CancellationToken cancellationToken)
    {
        var (order, error) = PaymentOrder.From(request);
        if (order is null)
            return GatewayProblems.InvalidRequest(error!).ToResult();

        // A queued fault is taken by the next valid payment request, whatever it goes on to answer.
        var fault = faults.TakeCapture();
        if (fault is not null)
            LogFault(logger, fault.Value, order.OrderId);
        if (fault == CaptureFault.ErrorBeforeCapture)
            return GatewayProblems.InternalError().ToResult();

        var outcome = await ledger.CaptureAsync(order, twice: fault == CaptureFault.DuplicateCapture, cancellationToken);
        if (outcome.Problem is { } problem)
            return problem.ToResult();

        switch (fault)
        {
            case CaptureFault.ErrorAfterCapture:
                return GatewayProblems.InternalError().ToResult();
            case CaptureFault.AnswerAfterTimeout:
                await Task.Delay(faults.Standing.AnswerDelayMs, cancellationToken);
                break;
            case CaptureFault.HoldAfterCapture:
                await faults.HoldAsync(cancellationToken);
                break;
        }
        return TypedResults.Ok(outcome.Value!.Payment);
    }

    private static Results<Ok<PaymentsByOrderResponse>, Ok<PaymentPageResponse>, ProblemHttpResult> Find(
        [AsParameters] PaymentQueryRequest request, PaymentLedger ledger)
    {
        if (request.OrderId is not null)
        {
            if (request.OrderId.Length is 0 or > PaymentOrder.MaxOrderIdLength)
                return GatewayProblems.InvalidRequest($"orderId must be 1 to {PaymentOrder.MaxOrderIdLength} characters.").ToResult();
            if (request with { OrderId = null } != new PaymentQueryRequest(null, null, null, null, null, null))
                return GatewayProblems.InvalidRequest("orderId finds one order: it does not go with the listing parameters.").ToResult();
            return TypedResults.Ok(new PaymentsByOrderResponse(ledger.ByOrderId(request.OrderId)));
        }
        var (query, error) = PaymentQuery.Parse(request);
        if (query is null)
            return GatewayProblems.InvalidRequest(error!).ToResult();
        var page = ledger.Page(query);
        return page.Problem is { } problem ? problem.ToResult() : TypedResults.Ok(page.Value);
    }

    private static async Task<Results<Ok<PaymentView>, ProblemHttpResult>> CancelAsync(
        string paymentKey, CancelRequest? request, PaymentLedger ledger, CancellationToken cancellationToken)
    {
        var (cancel, error) = CancelOrder.From(request);
        if (cancel is null)
            return GatewayProblems.InvalidRequest(error!).ToResult();
        var outcome = await ledger.CancelAsync(paymentKey, cancel, cancellationToken);
        return outcome.Problem is { } problem ? problem.ToResult() : TypedResults.Ok(outcome.Value);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The payment request for order {OrderId} takes the fault {Fault}.")]
    private static partial void LogFault(ILogger logger, CaptureFault fault, string orderId);
}
