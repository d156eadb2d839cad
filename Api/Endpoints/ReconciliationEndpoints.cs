using System.Globalization;
using AdWallet.Api.Requests;
using AdWallet.Grains.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans;

namespace AdWallet.Api.Endpoints;

/// <summary><c>GET /v1/ops/reconciliation</c>: the gateway's money against the ledgers, for operators.</summary>
internal static class ReconciliationEndpoints
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    public static void MapReconciliationEndpoints(this RouteGroupBuilder ops)
    {
        ops.MapGet("/reconciliation", Report)
            .WithTags("Operations")
            .WithName("GetReconciliationReport")
            .WithSummary("Captured minus refunded at the gateway next to credited minus refunded in the ledgers, per wallet, with the mismatches")
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    /// <summary><c>from</c> and <c>to</c> (ISO 8601, <c>from</c> ≤ approval &lt; <c>to</c>); by default the last day.</summary>
    private static async Task<Ok<ReconciliationReport>> Report(HttpContext http, IGrainFactory grains, TimeProvider time)
    {
        var query = new QueryReader(http.Request.Query);
        var to = query.OptionalTimestamp("to") ?? time.GetUtcNow();
        var from = query.OptionalTimestamp("from") ?? to - DefaultRange;
        if (to <= from) query.Errors.Add("to", "must be after from.");
        else if (to - from > MaxRange) query.Errors.Add("to", $"must be at most {MaxRange.TotalDays.ToString(CultureInfo.InvariantCulture)} days after from.");
        query.ThrowIfInvalid();
        return TypedResults.Ok(await grains.GetGrain<IReconciliationReportGrain>(0).Build(from, to));
    }
}
