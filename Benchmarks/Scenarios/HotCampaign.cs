using AdWallet.Grains;
using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Wallets;
using AdWallet.Benchmarks.Harness;

namespace AdWallet.Benchmarks.Scenarios;

/// <summary>
/// Participations in ONE campaign through the campaign grain, durable on SQLite. The grain is reentrant and
/// event-sourced: concurrent participations share commits, and spend settles to the wallet in batches. The budget is
/// the largest allowed, so it does not run out here; <see cref="HotCampaignExhausted"/> is the variant where it does.
/// </summary>
internal class HotCampaign : Scenario
{
    public const long Price = 10;

    /// <summary>What the wallet is charged before the point, in charges of the largest amount: 5,000,000 participations' worth.</summary>
    private const int FundingCharges = 5;

    private static readonly Caller Master = new("bench-master");

    private readonly Dictionary<int, double> _ratesByWorkers = [];
    private IWalletGrain _wallet = null!;
    private ICampaignGrain _campaign = null!;
    private long _funds;
    private long _accepted;
    private long _refused;

    public override string Name => "hot-campaign";

    public override string Measures =>
        "every worker participates in ONE running campaign (price 10 won, a new user id per call, a +8210 phone) through " +
        "ICampaignGrain.Participate on the platform's silo (SQLite, synchronous=FULL), with a funded wallet and an ad account " +
        "behind it; the budget (the largest allowed) does not run out. Afterwards spend must be participations x price, within " +
        "the budget, and once settled the wallet must have paid exactly that.";

    public override IReadOnlyList<int> Concurrency => [1, 16, 256];

    public override IReadOnlyList<Baseline> Baselines => [new("hot-campaign-naive", 10)];

    /// <summary>The participations per second this scenario measured at a concurrency level in this run, if it ran there.</summary>
    public double? RateAt(int workers) => _ratesByWorkers.TryGetValue(workers, out var rate) ? rate : null;

    public override async Task InitializeAsync(PointSetup point)
    {
        _accepted = 0;
        _refused = 0;
        _wallet = point.Grains.GetGrain<IWalletGrain>("wal_campaign");
        await _wallet.Create(Master, new CreateWallet("Campaign wallet", WalletKinds.Business, BusinessRegistrationNumber: "1234567890"));
        for (var i = 0; i < FundingCharges; i++)
        {
            var charge = await _wallet.Charge(Master, new ChargeCommand(WalletLimits.MaximumCharge, PaymentMethods.PayMoney, TermsAccepted: true),
                new IdempotencyKey($"funding-{i}", "h"));
            if (charge.Value.Status != ChargeStatus.Succeeded) throw new InvalidOperationException($"Funding the wallet answered {charge.Value.Status}.");
        }
        _funds = FundingCharges * WalletLimits.MaximumCharge;

        var account = point.Grains.GetGrain<IAdAccountGrain>("acc_campaign");
        await account.Create(Master, new CreateAdAccount("Campaign account", "wal_campaign"));
        var campaign = await account.CreateCampaign(Master, new CreateCampaign("Hot campaign", CampaignKinds.Emoticon, BudgetFor(point), Price));
        if (campaign.Status != CampaignStatuses.Running) throw new InvalidOperationException($"The campaign is {campaign.Status}, not running.");
        _campaign = point.Grains.GetGrain<ICampaignGrain>(campaign.Id);
    }

    /// <summary>The campaign's budget, a multiple of <see cref="Price"/>.</summary>
    protected virtual long BudgetFor(PointSetup point) => CampaignRules.MaximumBudget;

    public override Func<Task> CreateOperation(IGrainFactory grains, int worker)
    {
        var campaign = _campaign;
        var prefix = $"u{worker}-";
        var phone = $"+8210{worker % 10_000:D4}";
        long next = 0;
        return async () =>
        {
            var n = ++next;
            try
            {
                var result = await campaign.Participate(Master, new Participation(prefix + n, phone + (n % 10_000).ToString("D4")));
                if (!result.Accepted || result.Replayed)
                    throw new InvalidOperationException($"Participation answered accepted: {result.Accepted}, replayed: {result.Replayed}.");
                Interlocked.Increment(ref _accepted);
            }
            catch (DomainException refusal) when (refusal.Code == ErrorCodes.BudgetExhausted && RefusalsExpected)
            {
                Interlocked.Increment(ref _refused);
            }
        };
    }

    /// <summary>Whether a budget_exhausted refusal is an answer (the exhaustion variant) rather than a failure.</summary>
    protected virtual bool RefusalsExpected => false;

    public override async Task<string?> VerifyAsync(LoadResult result)
    {
        var accepted = Interlocked.Read(ref _accepted);
        var refused = Interlocked.Read(ref _refused);
        var view = await _campaign.Get(Master);
        var spendOk = view.Participations == accepted && view.Spent == accepted * Price && view.Spent <= view.Budget;

        // Everything spent settles to the wallet, exactly once.
        long unsettled = -1;
        for (var i = 0; i < 10 && unsettled != 0; i++) unsettled = await _campaign.SettleNow();
        var balance = (await _wallet.Get(Master)).Balance.Total;
        long used = 0;
        string? cursor = null;
        do
        {
            var page = await _wallet.ListTransactions(Master, TransactionKinds.Use, new PageRequest(PageRequest.MaxLimit, cursor));
            used -= page.Items.Sum(t => t.Amount);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        var settledOk = unsettled == 0 && used == view.Spent && balance == _funds - view.Spent;

        var line = $"{accepted:N0} participations accepted (all time, warm-up included){(RefusalsExpected ? $", {refused:N0} refused as budget_exhausted" : "")}; " +
                   $"campaign: {view.Participations:N0} participations, spent {view.Spent:N0} of {view.Budget:N0} (expected {accepted * Price:N0}), {view.Status}" +
                   $"{(view.EndReason is { } reason ? $" ({reason})" : "")}; wallet: {used:N0} settled as use, balance {balance:N0} " +
                   $"(expected {_funds - view.Spent:N0}){(unsettled != 0 ? $", {unsettled:N0} still unsettled" : "")}";
        var (extra, outcomeOk) = CheckOutcome(view, refused);
        if (!spendOk || !settledOk || !outcomeOk) throw new CheckFailedException(line + extra);
        if (!RefusalsExpected) _ratesByWorkers[result.Workers] = result.OpsPerSecond;
        return line + extra + ": ok";
    }

    /// <summary>What the variant adds to the check line, and whether its outcome is right.</summary>
    protected virtual (string Text, bool Ok) CheckOutcome(CampaignView view, long refused) => ("", true);
}
