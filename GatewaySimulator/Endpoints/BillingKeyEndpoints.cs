using AdWallet.GatewaySimulator.Contracts;
using AdWallet.GatewaySimulator.Payments;
using AdWallet.GatewaySimulator.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.GatewaySimulator.Endpoints;

internal static class BillingKeyEndpoints
{
    public static void MapBillingKeys(this RouteGroupBuilder v1) => v1.MapPost("/billing-keys", RegisterAsync);

    private static async Task<Results<Ok<BillingKeyResponse>, ProblemHttpResult>> RegisterAsync(
        BillingKeyRequest? request, PaymentLedger ledger, CancellationToken cancellationToken)
    {
        if (!CardChecks.IsCardNumber(request?.CardNumber))
            return GatewayProblems.InvalidRequest("cardNumber must be 12 to 19 digits that pass the Luhn check.").ToResult();
        if (!CardChecks.IsExpiry(request!.Expiry))
            return GatewayProblems.InvalidRequest("expiry must be MM/YY.").ToResult();
        var outcome = await ledger.RegisterAsync(request.CardNumber!, request.Expiry!, cancellationToken);
        return outcome.Problem is { } problem ? problem.ToResult() : TypedResults.Ok(outcome.Value);
    }
}
