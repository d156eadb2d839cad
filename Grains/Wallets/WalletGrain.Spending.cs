using AdWallet.Grains.AdAccounts;
using Microsoft.Extensions.Logging;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// Spend from campaigns, and what the wallet tells its ad accounts. Spend settles after the fact, so the balance may
/// go negative; the accounts then turn OFF (or auto-pay charges a card) and turn ON again once the money is back.
/// </summary>
public sealed partial class WalletGrain
{
    private readonly SemaphoreSlim _fundingGate = new(1, 1);
    private FundingStatus? _toldAccounts;

    public async Task<FundingStatus> AttachAdAccount(Caller caller, string adAccountId)
    {
        await RequireMemberAsync(caller);
        if (!State.AdAccountIds.Contains(adAccountId)) Raise(new AdAccountAttached(Now, adAccountId));
        RecordFunding();
        await Commit();
        return CurrentFunding;
    }

    public async Task<SpendSettled> SettleSpend(SpendSettlement settlement)
    {
        if (!State.Exists || !State.AdAccountIds.Contains(settlement.AdAccountId))
            throw DomainException.NotFound($"Wallet {Id}");
        if (settlement.Amount <= 0)
            throw new DomainException(ErrorCodes.ValidationFailed, "A settlement takes a positive amount.");
        if (State.Settlements.TryGetValue(settlement.CampaignId, out var last) && settlement.Sequence <= last)
        {
            await wallet.WhenWrittenAsync();
            return new SpendSettled(settlement.Sequence, WalletViewsMapping.Balance(State.Free, State.Paid), Replayed: true);
        }

        var (free, paid) = MoneyRules.SplitSpend(State.Free, settlement.Amount);
        Raise(new SpendTaken(Now, settlement.CampaignId, settlement.AdAccountId, settlement.Sequence,
            new Posting(TransactionKinds.Use, -settlement.Amount, -free, -paid, State.Free - free, State.Paid - paid, $"{settlement.CampaignId}/{settlement.Sequence}")));
        await Commit();
        var balance = WalletViewsMapping.Balance(State.Free, State.Paid);

        if (State.AutoPayEnabled && -State.Total >= WalletLimits.AutoPayChargeLimit) await RunAutoPayAsync(AutoPayTrigger.Threshold);
        await PublishFundingAsync();
        return new SpendSettled(settlement.Sequence, balance, Replayed: false);
    }

    private FundingStatus CurrentFunding => new(State.FundingOn, State.FundingOffReason);

    /// <summary>
    /// What the accounts may do now. Auto-pay keeps them ON while it can charge (it turns them OFF when every card
    /// failed, or for the day when its limit is reached); without it, they spend only while the balance is positive.
    /// </summary>
    private FundingStatus DesiredFunding()
    {
        if (State.AutoPayEnabled && State.DailyLimitReachedOn == Payments.BusinessCalendar.Day(Now))
            return new FundingStatus(false, OffReasons.DailyLimit);
        if (State.AutoPayEnabled)
            return State.AutoPayFailing ? new FundingStatus(false, OffReasons.InsufficientBalance) : FundingStatus.Funded;
        return State.Total > 0 ? FundingStatus.Funded : new FundingStatus(false, OffReasons.InsufficientBalance);
    }

    /// <summary>Raises <see cref="FundingChanged"/> when what the accounts may do has changed; true if it did.</summary>
    private bool RecordFunding()
    {
        var desired = DesiredFunding();
        if (desired == CurrentFunding) return false;
        Raise(new FundingChanged(Now, desired.On, desired.OffReason));
        return true;
    }

    /// <summary>
    /// Stores the funding status and tells every ad account, one publication at a time, until they know the latest.
    /// A caller that has stored its own changes says so, and then waits for a write only if the status changed:
    /// entries other requests staged meanwhile are theirs to wait for, and under load there always are some.
    /// </summary>
    private async Task PublishFundingAsync(bool ownChangesStored = false)
    {
        var changed = RecordFunding();
        // Nothing new to store or tell: return without waiting for writes other requests started.
        if ((ownChangesStored ? !changed : wallet.PendingCount == 0) && _toldAccounts == CurrentFunding) return;
        await Commit();
        if (_toldAccounts == CurrentFunding) return;
        await _fundingGate.WaitAsync();
        try
        {
            while (_toldAccounts != CurrentFunding)
            {
                var status = CurrentFunding;
                foreach (var adAccountId in State.AdAccountIds.ToArray())
                {
                    try
                    {
                        await GrainFactory.GetGrain<IAdAccountGrain>(adAccountId).SetFundingStatus(status);
                    }
                    catch (Exception exception) when (exception is not DomainException)
                    {
                        logger.LogWarning(exception, "Telling ad account {AdAccountId} that wallet {WalletId} is {Status} failed", adAccountId, Id, status);
                    }
                }
                _toldAccounts = status;
            }
        }
        finally
        {
            _fundingGate.Release();
        }
    }
}
