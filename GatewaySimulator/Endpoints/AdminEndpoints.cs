using AdWallet.GatewaySimulator.Contracts;
using AdWallet.GatewaySimulator.Faults;
using AdWallet.GatewaySimulator.Payments;
using AdWallet.GatewaySimulator.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.GatewaySimulator.Endpoints;

/// <summary>Fault injection (<c>Simulator:Admin:Enabled=true</c> only): not mapped at all otherwise, so it answers 404.</summary>
internal static class AdminEndpoints
{
    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin");
        admin.MapPut("/faults", SetStanding);
        admin.MapPost("/faults/captures", EnqueueCaptures);
        admin.MapPost("/holds/release", Release);
        admin.MapGet("/stats", Stats);
    }

    private static Results<Ok<StandingFaults>, ProblemHttpResult> SetStanding(StandingFaultsRequest? request, GatewayFaults faults)
    {
        if (request is null)
            return GatewayProblems.InvalidRequest("The body must be a JSON object of standing faults.").ToResult();
        int?[] delays = [request.LatencyMs, request.AnswerDelayMs, request.WebhookDelayMs];
        if (delays.Any(delay => delay is < 0 or > StandingFaults.MaxDelayMs))
            return GatewayProblems.InvalidRequest($"latencyMs, answerDelayMs and webhookDelayMs must be 0 to {StandingFaults.MaxDelayMs}.").ToResult();
        var standing = new StandingFaults(
            request.LatencyMs ?? 0,
            request.AnswerDelayMs ?? 0,
            request.DuplicateWebhooks ?? false,
            request.DropWebhooks ?? false,
            request.WebhookDelayMs ?? 0);
        faults.SetStanding(standing);
        return TypedResults.Ok(standing);
    }

    private static Results<NoContent, ProblemHttpResult> EnqueueCaptures(CaptureFaultsRequest? request, GatewayFaults faults)
    {
        if (request?.Faults is not { Count: > 0 } names)
            return GatewayProblems.InvalidRequest("faults must list one or more capture faults.").ToResult();
        var parsed = new List<CaptureFault>(names.Count);
        foreach (var name in names)
        {
            if (!CaptureFaultNames.TryParse(name, out var fault))
                return GatewayProblems.InvalidRequest($"'{name}' is not a capture fault; use {string.Join(", ", CaptureFaultNames.All)}.").ToResult();
            parsed.Add(fault);
        }
        faults.EnqueueCaptures(parsed);
        return TypedResults.NoContent();
    }

    private static NoContent Release(GatewayFaults faults)
    {
        faults.ReleaseHolds();
        return TypedResults.NoContent();
    }

    private static Ok<StatsResponse> Stats(PaymentLedger ledger, GatewayFaults faults) => TypedResults.Ok(ledger.Stats(faults.Held));
}
