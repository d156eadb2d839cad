using AdWallet.Grains;
using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Payments;
using AdWallet.Grains.Wallets;

namespace AdWallet.Simulation.Tests;

/// <summary>The invariants: checked cheaply after every step, and in full at quiescence.</summary>
public sealed partial class SimulationRun
{
    private static readonly TimeSpan Seoul = TimeSpan.FromHours(9);

    /// <summary>After every step: every campaign within its budget and charging its price per participation; no wallet's free cash below zero.</summary>
    private async Task CheckCheapInvariantsAsync()
    {
        foreach (var campaign in _campaigns)
        {
            var view = await ReadAsync(() => Grains.GetGrain<ICampaignGrain>(campaign.Id).Get(new Caller(campaign.MasterId)));
            if (view is null) continue;
            if (view.Spent > view.Budget) Broken($"campaign {campaign.Id} spent {view.Spent} of a budget of {view.Budget}");
            if (view.Spent != view.Participations * view.PricePerParticipation)
                Broken($"campaign {campaign.Id} spent {view.Spent} for {view.Participations} participations at {view.PricePerParticipation}");
        }
        foreach (var wallet in _wallets)
        {
            var view = await ReadAsync(() => Grains.GetGrain<IWalletGrain>(wallet.Id).Get(new Caller(wallet.MasterId)));
            if (view is null) continue;
            if (view.Balance.Free < 0) Broken($"wallet {wallet.Id} has {view.Balance.Free} free cash");
            if (view.Balance.Free + view.Balance.Paid != view.Balance.Total) Broken($"wallet {wallet.Id} balance {view.Balance} does not add up");
        }
    }

    /// <summary>A read that a fault may interrupt: null when it did not answer (the full check at quiescence reads again).</summary>
    private static async Task<T?> ReadAsync<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (DomainException)
        {
            throw;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>Stops injecting faults and lets every client finish: in-doubt requests are retried with their keys until answered, pending payments settle, campaigns settle.</summary>
    private async Task QuiesceAsync()
    {
        _step = _settings.Steps + 1;
        Trace("quiescing");
        _world.StorageFaults.Clear();
        _world.Gateway.Faults.SetStanding(GatewaySimulator.Faults.StandingFaults.None);
        while (_world.Gateway.Faults.QueuedCaptures > 0)
        {
            // Faults still queued would hit the retries below: let them hit throwaway charges instead.
            await ChargeAsync(new ChargeRecord(_wallets[0].Id, new ChargeCommand(1_000, PaymentMethods.PayMoney, true), NewKey("drain")));
        }
        _world.Gateway.ReleaseHolds();
        Task[] abandoned;
        lock (_abandoned) abandoned = [.. _abandoned];
        await Task.WhenAll(abandoned.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        for (var round = 0; round < 30; round++)
        {
            var charges = _told.Locked(() => _told.Charges.Values.Where(r => r.InDoubt || (r.First is not null && !r.IsFinal)).ToList());
            var refunds = _told.Locked(() => _told.Refunds.Values.Where(r => r.InDoubt).ToList());
            var participations = _told.Locked(() => _told.Participations.Values.Where(r => r.InDoubt).ToList());
            if (charges.Count + refunds.Count + participations.Count == 0) break;
            Trace($"round {round}: retrying {charges.Count} charges, {refunds.Count} refunds, {participations.Count} participations");
            foreach (var charge in charges) await ChargeAsync(charge);
            foreach (var refund in refunds) await RefundAsync(refund);
            foreach (var participation in participations)
                await ParticipateAsync(participation, _campaigns.First(c => c.Id == participation.CampaignId).MasterId);
            // Pending payments settle by reconciliation, on its reminder, or fail after their grace period.
            _world.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(100);
        }
        var unsettled = _told.Locked(() => _told.Charges.Values.Count(r => r.InDoubt || (r.First is not null && !r.IsFinal)));
        if (unsettled > 0) Broken($"{unsettled} charges still without a final answer after every retry");

        foreach (var campaign in _campaigns)
        {
            for (var attempt = 0; ; attempt++)
            {
                var left = await ReadAsync(async () => (object)await Grains.GetGrain<ICampaignGrain>(campaign.Id).SettleNow());
                if (left is 0L) break;
                if (attempt == 20) Broken($"campaign {campaign.Id} could not settle: {left ?? "no answer"} left");
                await Task.Delay(50);
            }
        }
        // Auto-pay runs after settlements; its charges finish before the books are read.
        await Task.Delay(500);
    }

    private async Task CheckAllInvariantsAsync()
    {
        Trace("checking every invariant");
        foreach (var wallet in _wallets) await CheckWalletAsync(wallet);
        foreach (var campaign in _campaigns) await CheckCampaignAsync(campaign);
        var report = await Grains.GetGrain<IReconciliationReportGrain>(0).Build(_start.AddDays(-1), _world.Clock.GetUtcNow().AddDays(1));
        if (report.Mismatches.Count > 0)
            Broken("the gateway and the ledgers disagree: " + string.Join("; ", report.Mismatches.Select(m =>
                $"{m.WalletId} gateway {m.GatewayNet} ledger {m.LedgerNet} payments {string.Join(",", m.PaymentIds)} charges {string.Join(",", m.ChargeIds)}")));
    }

    private async Task<List<TransactionView>> LedgerAsync(Setup.Wallet wallet)
    {
        var all = new List<TransactionView>();
        string? cursor = null;
        do
        {
            var page = await Grains.GetGrain<IWalletGrain>(wallet.Id).ListTransactions(new Caller(wallet.MasterId), null, new PageRequest(PageRequest.MaxLimit, cursor));
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        all.Reverse();
        return all;
    }

    private async Task CheckWalletAsync(Setup.Wallet wallet)
    {
        var grain = Grains.GetGrain<IWalletGrain>(wallet.Id);
        var caller = new Caller(wallet.MasterId);
        var view = await grain.Get(caller);
        var ledger = await LedgerAsync(wallet);

        // The balance is the sum of the ledger, and each row's balance follows from the one before.
        long free = 0, paid = 0;
        foreach (var entry in ledger)
        {
            free += entry.Free;
            paid += entry.Paid;
            if (entry.Free + entry.Paid != entry.Amount) Broken($"{wallet.Id} ledger row {entry.Id}: free {entry.Free} + paid {entry.Paid} != {entry.Amount}");
            if (entry.BalanceAfter != new BalanceView(free, paid, free + paid))
                Broken($"{wallet.Id} ledger row {entry.Id} says {entry.BalanceAfter}, the rows before it add up to free {free} paid {paid}");
            if (free < 0) Broken($"{wallet.Id} ledger row {entry.Id} takes free cash below zero ({free})");
        }
        if (view.Balance != new BalanceView(free, paid, free + paid)) Broken($"{wallet.Id} balance {view.Balance}, ledger free {free} paid {paid}");

        // Every acknowledged charge and refund is there, as the client was told.
        var references = ledger.ToLookup(entry => (entry.Kind, entry.Reference));
        var charges = _told.Locked(() => _told.Charges.Values.Where(r => r.WalletId == wallet.Id && r.Latest is not null).ToList());
        foreach (var record in charges)
        {
            var told = record.Latest!;
            var stored = await grain.GetCharge(caller, told.Id);
            if (stored.Status != told.Status || stored.Amount != told.Amount)
                Broken($"{wallet.Id} charge {told.Id} (key {record.Key.Key}) was answered {told.Status} {told.Amount}, is stored {stored.Status} {stored.Amount}");
            var credited = references[(TransactionKinds.Charge, told.Id)].Sum(entry => entry.Amount);
            if (credited != (told.Status == ChargeStatus.Succeeded ? told.Amount : 0))
                Broken($"{wallet.Id} charge {told.Id} ({told.Status}, {told.Amount}) is credited {credited} in the ledger");
        }
        var refunds = _told.Locked(() => _told.Refunds.Values.Where(r => r.WalletId == wallet.Id && r.First is not null).ToList());
        foreach (var record in refunds)
        {
            var entries = references[(TransactionKinds.Refund, record.First!.Id)].ToList();
            if (entries.Count != 1 || entries[0].Amount != -record.First.Amount)
                Broken($"{wallet.Id} refund {record.First.Id} of {record.First.Amount} is {entries.Count} ledger rows summing to {entries.Sum(e => e.Amount)}");
        }

        // Every acknowledged free-cash grant was credited once (its expiry, if it came, is a row of its own).
        var grants = _told.Locked(() => _told.Grants.Where(g => g.Value.WalletId == wallet.Id).ToList());
        foreach (var (grantId, (_, amount)) in grants)
        {
            var credited = references[(TransactionKinds.FreeCash, grantId)].Sum(entry => entry.Amount);
            if (credited != amount) Broken($"{wallet.Id} free-cash grant {grantId} of {amount} is credited {credited} in the ledger");
        }

        // Auto-pay: never more than 500,000 won a charge, never more than the daily limit a day (Seoul's day).
        var attempts = new List<AutoPayAttemptView>();
        string? cursor = null;
        do
        {
            var page = await grain.ListAutoPayAttempts(caller, new PageRequest(PageRequest.MaxLimit, cursor));
            attempts.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        foreach (var attempt in attempts.Where(a => a.Amount > WalletLimits.AutoPayChargeLimit))
            Broken($"{wallet.Id} auto-pay attempt {attempt.Id} charged {attempt.Amount}");
        foreach (var day in attempts.Where(a => a.Status == ChargeStatus.Succeeded).GroupBy(a => a.CreatedAt.ToOffset(Seoul).Date))
        {
            if (day.Sum(a => a.Amount) > wallet.DailyLimit)
                Broken($"{wallet.Id} auto-pay charged {day.Sum(a => a.Amount)} on {day.Key:yyyy-MM-dd}, over its daily limit {wallet.DailyLimit}");
        }
        _report.Operation("invariant_wallet");
    }

    private async Task CheckCampaignAsync(Setup.Campaign campaign)
    {
        var view = await Grains.GetGrain<ICampaignGrain>(campaign.Id).Get(new Caller(campaign.MasterId));
        var accepted = _told.Locked(() => _told.Participations.Values.Count(r => r.CampaignId == campaign.Id && r.Accepted == true));
        if (view.Spent > view.Budget) Broken($"campaign {campaign.Id} spent {view.Spent} of {view.Budget}");
        if (view.Spent != view.Participations * view.PricePerParticipation) Broken($"campaign {campaign.Id} spent {view.Spent} for {view.Participations} participations");
        if (view.Participations != accepted) Broken($"campaign {campaign.Id} counts {view.Participations} participations, clients were told of {accepted}");
        if (view.Budget - view.Spent < view.PricePerParticipation && view.Status != CampaignStatuses.Ended)
            Broken($"campaign {campaign.Id} has {view.Budget - view.Spent} left, below its price {view.PricePerParticipation}, and is {view.Status}");
        // Settled: the wallet's ledger holds the campaign's whole spend.
        var wallet = _wallets.First(w => w.Id == campaign.WalletId);
        var used = (await LedgerAsync(wallet)).Where(e => e.Kind == TransactionKinds.Use && e.Reference.StartsWith(campaign.Id + "/", StringComparison.Ordinal)).Sum(e => -e.Amount);
        if (used != view.Spent) Broken($"campaign {campaign.Id} spent {view.Spent}; its wallet's ledger was charged {used}");
        _report.Operation("invariant_campaign");
    }
}
