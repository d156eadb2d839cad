using AdWallet.Grains;
using AdWallet.Grains.Campaigns;
using AdWallet.Benchmarks.Harness;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>
/// hot-campaign with a budget that runs out during the measured seconds, so that the end of a campaign under load is
/// measured too: the last participations, the end, the refusals after it and the final settlement. The budget is sized
/// from the rate hot-campaign measured at the same concurrency earlier in the run, to run out about halfway through the
/// measured seconds.
/// </summary>
internal sealed class HotCampaignExhausted(HotCampaign reference) : HotCampaign
{
    /// <summary>Participations the budget allows when hot-campaign did not run at this concurrency level.</summary>
    private const long FallbackParticipations = 20_000;

    private string _sizing = "";

    public override string Name => "hot-campaign-exhaust";

    public override string Measures =>
        "hot-campaign with a budget sized (from hot-campaign's rate at the same workers) to run out about halfway through the measured " +
        "seconds: ops/s counts the participations accepted and the budget_exhausted refusals after the end. Afterwards spend " +
        "must equal the budget exactly, never more, and settle to the wallet exactly once.";

    public override IReadOnlyList<Baseline> Baselines => [];

    protected override bool RefusalsExpected => true;

    protected override long BudgetFor(PointSetup point)
    {
        var rate = reference.RateAt(point.Workers);
        var participations = rate is { } r
            ? Math.Max(1, (long)(r * (point.Warmup + 0.5 * point.Duration).TotalSeconds))
            : FallbackParticipations;
        _sizing = rate is { } measured
            ? $"budget sized for {participations:N0} participations from hot-campaign's {measured:N0}/s"
            : $"budget of {participations:N0} participations (hot-campaign did not run at this level)";
        return participations * Price;
    }

    protected override (string Text, bool Ok) CheckOutcome(CampaignView view, long refused)
    {
        var ranOut = view.Status == CampaignStatuses.Ended && view.EndReason == EndReasons.BudgetExhausted;
        if (ranOut && view.Spent != view.Budget) return ($"; {_sizing}; it ended as budget_exhausted with budget left over", false);
        return ranOut
            ? ($"; {_sizing}; it ran out with spent == budget", true)
            : ($"; {_sizing}; it did NOT run out during the point (slower than hot-campaign), so the end was not measured", true);
    }
}
