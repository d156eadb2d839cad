using System.Text.Json.Serialization;
using AdWallet.Persistence;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// A wallet as its events made it: what its next decision needs, and no history. Every change happens in
/// <see cref="Apply"/>, which is also how the state is rebuilt after a restart, so what a grain decides and what a
/// replay rebuilds can never differ.
/// </summary>
/// <remarks>
/// Invariants, checked on every posting: free cash is never negative; a posting's amount is its free part plus its
/// paid part; the balance after a posting is the balance before it plus the posting. Together with the journal being
/// append-only, the balance is always the sum of the ledger.
/// <para>
/// Memory is bounded: the state holds the open charges (pending, or with paid cash not yet used or refunded), the
/// refunds not yet returned, the free-cash lots not yet used or expired and the idempotency window. Every charge,
/// refund, grant and auto-pay attempt is an item (<see cref="IItemizedProjection"/>), stored with the entry that
/// changed it and read back from storage.
/// </para>
/// </remarks>
public sealed class WalletState : IJournalProjection<WalletEvent>, IItemizedProjection, ISizedProjection
{
    /// <summary>How long an idempotency key's answer is kept in memory; the API promises at least 24 hours.</summary>
    public static readonly TimeSpan IdempotencyRetention = TimeSpan.FromHours(48);

    private static readonly TimeSpan IdempotencyPruneEvery = TimeSpan.FromHours(1);

    public bool Exists { get; set; }

    public string Name { get; set; } = "";

    public string Kind { get; set; } = "";

    public string MasterId { get; set; } = "";

    public List<string> MemberIds { get; set; } = [];

    public string? BusinessRegistrationNumber { get; set; }

    public string? TaxInvoiceEmail { get; set; }

    /// <summary>The business's name, set by an approved business-information request.</summary>
    public string? BusinessName { get; set; }

    /// <summary>The number of the last business-information request applied: an older one is never applied after it.</summary>
    public long BusinessInfoRequestApplied { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long Free { get; set; }

    public long Paid { get; set; }

    [JsonIgnore]
    public long Total => Free + Paid;

    public List<string> ChannelIds { get; set; } = [];

    /// <summary>The primary card first, then the backups in order.</summary>
    public List<CardRecord> Cards { get; set; } = [];

    public bool AutoPayEnabled { get; set; }

    public long? DailyLimit { get; set; }

    /// <summary>How many charges the wallet has had: the next charge's ordinal.</summary>
    public long ChargeCount { get; set; }

    /// <summary>The open charges: pending, or holding paid cash not yet used or refunded. Closed charges are items.</summary>
    public Dictionary<string, ChargeRecord> Charges { get; set; } = [];

    /// <summary>Charges credited from a capture, ever: reconciliation checks the gateway until it has counted them all.</summary>
    public long CaptureCredits { get; set; }

    /// <summary>How many of <see cref="CaptureCredits"/> reconciliation has seen among the gateway's captures.</summary>
    public long CaptureCreditsReconciled { get; set; }

    /// <summary>The last of the wallet's captures at the gateway that reconciliation has checked; null before the first.</summary>
    public string? CaptureCursor { get; set; }

    public long RefundCount { get; set; }

    /// <summary>Refunds taken from the wallet that the gateway has not returned to the payer yet.</summary>
    public Dictionary<string, RefundRecord> PendingRefunds { get; set; } = [];

    public long GrantCount { get; set; }

    /// <summary>Free-cash lots with cash left that has not expired.</summary>
    public Dictionary<string, FreeCashLot> FreeCash { get; set; } = [];

    /// <summary>Refunds and grants answered in the last <see cref="IdempotencyRetention"/>, by idempotency scope. A charge's id follows from its scope.</summary>
    public Dictionary<string, IdempotencyRecord> Idempotency { get; set; } = [];

    /// <summary>
    /// The charges of the last <see cref="IdempotencyRetention"/>, by id, with when they started: a charge id not among
    /// them is new, unless older charges were forgotten (<see cref="ChargesForgotten"/>), when storage has the last word.
    /// </summary>
    public Dictionary<string, DateTimeOffset> RecentCharges { get; set; } = [];

    /// <summary>Some charges left <see cref="RecentCharges"/>: a charge id not found there may still be stored.</summary>
    public bool ChargesForgotten { get; set; }

    public DateTimeOffset NextIdempotencyPrune { get; set; }

    public long AutoPayAttemptCount { get; set; }

    public List<string> AdAccountIds { get; set; } = [];

    /// <summary>The last settlement sequence taken from each campaign.</summary>
    public Dictionary<string, long> Settlements { get; set; } = [];

    public bool FundingOn { get; set; }

    public string? FundingOffReason { get; set; }

    /// <summary>Every card failed on the last auto-pay run and the balance is still negative.</summary>
    public bool AutoPayFailing { get; set; }

    public DateOnly? DailyLimitReachedOn { get; set; }

    public DateOnly? AutoPayBusinessDay { get; set; }

    /// <summary>What auto-pay charged on <see cref="AutoPayBusinessDay"/>.</summary>
    public long AutoChargedThatDay { get; set; }

    [JsonIgnore]
    public bool HasPendingCharges => Charges.Values.Any(c => c.Status == ChargeStatus.Pending);

    private readonly List<StateItem> _changed = [];

    /// <summary>The entries of the state's collections, and a few for the rest.</summary>
    [JsonIgnore]
    public long Size =>
        16 + MemberIds.Count + ChannelIds.Count + Cards.Count + Charges.Count + PendingRefunds.Count + FreeCash.Count
        + Idempotency.Count + RecentCharges.Count + AdAccountIds.Count + Settlements.Count;

    IReadOnlyList<StateItem> IItemizedProjection.TakeChangedItems()
    {
        var changed = _changed.ToArray();
        _changed.Clear();
        return changed;
    }

    /// <summary>
    /// Brings a closed charge read from storage back into the state, for an event that changes it (a duplicate capture
    /// refunded long after the charge was used up). It leaves again once the event is applied.
    /// </summary>
    public void Reopen(ChargeRecord charge) => Charges.TryAdd(charge.Id, charge);

    public void Apply(WalletEvent entry)
    {
        switch (entry)
        {
            case WalletCreated created:
                Exists = true;
                Name = created.Name;
                Kind = created.Kind;
                MasterId = created.MasterId;
                BusinessRegistrationNumber = created.BusinessRegistrationNumber;
                TaxInvoiceEmail = created.TaxInvoiceEmail;
                CreatedAt = created.At;
                break;
            case WalletRenamed renamed:
                Name = renamed.Name;
                break;
            case BusinessInfoChanged business:
                BusinessRegistrationNumber = business.BusinessRegistrationNumber ?? BusinessRegistrationNumber;
                BusinessName = business.BusinessName ?? BusinessName;
                BusinessInfoRequestApplied = business.RequestNumber;
                break;
            case TaxInvoiceEmailChanged changed:
                TaxInvoiceEmail = changed.Email;
                break;
            case MemberAdded added:
                MemberIds.Add(added.UserId);
                break;
            case MemberRemoved removed:
                MemberIds.Remove(removed.UserId);
                break;
            case ChannelConnected connected:
                ChannelIds.Add(connected.ChannelId);
                break;
            case ChannelDisconnected disconnected:
                ChannelIds.Remove(disconnected.ChannelId);
                break;
            case CardAdded card:
                Cards.Add(new CardRecord { Id = card.CardId, Last4 = card.Last4, Kind = card.Kind, Token = card.Token });
                break;
            case CardMadePrimary primary:
                var promoted = Cards.Single(c => c.Id == primary.CardId);
                Cards.Remove(promoted);
                Cards.Insert(0, promoted);
                break;
            case CardRemoved removedCard:
                Cards.RemoveAll(c => c.Id == removedCard.CardId);
                break;
            case AutoPayChanged autoPay:
                AutoPayEnabled = autoPay.Enabled;
                DailyLimit = autoPay.DailyLimit;
                break;
            case ChargeStarted started:
                Changed(Charges[started.ChargeId] = new ChargeRecord
                {
                    Id = started.ChargeId,
                    Ordinal = ChargeCount++,
                    Amount = started.Amount,
                    Method = started.Method,
                    CardId = started.CardId,
                    Reference = started.PaymentReference,
                    RequestHash = started.RequestHash,
                    Status = ChargeStatus.Pending,
                    CreatedAt = started.At,
                    FreeAfter = Free,
                    PaidAfter = Paid,
                });
                break;
            case ChargeSucceeded succeeded when Charges.TryGetValue(succeeded.ChargeId, out var charge):
                // The part of a charge that pays off a negative balance is used at once; the rest can be refunded.
                charge.Remaining = charge.Amount - Math.Min(charge.Amount, Math.Max(0, -Paid));
                charge.Status = ChargeStatus.Succeeded;
                charge.CaptureId = succeeded.CaptureId;
                charge.FreeAfter = succeeded.Posting.FreeAfter;
                charge.PaidAfter = succeeded.Posting.PaidAfter;
                Changed(charge);
                CaptureCredits++;
                break;
            case ChargeSucceeded:
                CaptureCredits++;
                break;
            case ChargeCaptured captured:
                Changed(Charges[captured.ChargeId] = new ChargeRecord
                {
                    Id = captured.ChargeId,
                    Ordinal = ChargeCount++,
                    Amount = captured.Amount,
                    Method = captured.Method,
                    CardId = captured.CardId,
                    RequestHash = captured.RequestHash,
                    Status = ChargeStatus.Succeeded,
                    CaptureId = captured.CaptureId,
                    CreatedAt = captured.At,
                    Remaining = captured.Amount - Math.Min(captured.Amount, Math.Max(0, -Paid)),
                    FreeAfter = captured.Posting.FreeAfter,
                    PaidAfter = captured.Posting.PaidAfter,
                });
                CaptureCredits++;
                break;
            case ChargeFailed failed when Charges.TryGetValue(failed.ChargeId, out var failedCharge):
                failedCharge.Status = ChargeStatus.Failed;
                failedCharge.Code = failed.Code;
                Changed(failedCharge);
                break;
            case CapturesReconciled reconciled:
                CaptureCursor = reconciled.Cursor;
                CaptureCreditsReconciled = reconciled.CreditsReconciled;
                break;
            case DuplicateCaptureRefunded duplicate when Charges.TryGetValue(duplicate.ChargeId, out var duplicated):
                duplicated.DuplicatesRefunded += duplicate.Amount;
                Changed(duplicated);
                break;
            case RefundIssued refund:
                if (Charges.TryGetValue(refund.ChargeId, out var refunded))
                {
                    refunded.Remaining -= refund.Amount;
                    refunded.Refunded += refund.Amount;
                    Changed(refunded);
                }
                var issued = PendingRefunds[refund.RefundId] = new RefundRecord
                {
                    Id = refund.RefundId,
                    Ordinal = RefundCount++,
                    ChargeId = refund.ChargeId,
                    CaptureId = refunded?.CaptureId ?? "",
                    Reference = refunded is null ? "" : refunded.Reference,
                    Amount = refund.Amount,
                    CreatedAt = refund.At,
                    FreeAfter = refund.Posting.FreeAfter,
                    PaidAfter = refund.Posting.PaidAfter,
                };
                _changed.Add(new StateItem(WalletItems.Refunds, issued.Id, issued.Ordinal, issued));
                break;
            case RefundSettled settled when PendingRefunds.Remove(settled.RefundId, out var returned):
                returned.Returned = true;
                _changed.Add(new StateItem(WalletItems.Refunds, returned.Id, returned.Ordinal, returned));
                break;
            case FreeCashGranted granted:
                var lot = FreeCash[granted.GrantId] = new FreeCashLot
                {
                    Id = granted.GrantId,
                    Ordinal = GrantCount++,
                    Amount = granted.Amount,
                    Remaining = granted.Amount,
                    ExpiresAt = granted.ExpiresAt,
                    FreeAfter = granted.Posting.FreeAfter,
                    PaidAfter = granted.Posting.PaidAfter,
                };
                _changed.Add(new StateItem(WalletItems.FreeCashGrants, lot.Id, lot.Ordinal, lot));
                break;
            case FreeCashExpired expired when FreeCash.Remove(expired.GrantId, out var expiredLot):
                expiredLot.Remaining = 0;
                expiredLot.Expired = true;
                _changed.Add(new StateItem(WalletItems.FreeCashGrants, expiredLot.Id, expiredLot.Ordinal, expiredLot));
                break;
            case AdAccountAttached attached:
                AdAccountIds.Add(attached.AdAccountId);
                break;
            case SpendTaken spend:
                Settlements[spend.CampaignId] = spend.Sequence;
                UseFreeCash(-spend.Posting.Free);
                UsePaidCash(-spend.Posting.Paid);
                break;
            case FundingChanged funding:
                FundingOn = funding.On;
                FundingOffReason = funding.OffReason;
                break;
            case AutoPayAttempted attempt:
                var view = new AutoPayAttemptView(attempt.AttemptId, attempt.CardId, attempt.Amount, attempt.Status, attempt.Code, attempt.At);
                _changed.Add(new StateItem(WalletItems.AutoPayAttempts, attempt.AttemptId, AutoPayAttemptCount++, view));
                if (attempt.Status != ChargeStatus.Failed)
                {
                    if (AutoPayBusinessDay != attempt.BusinessDay)
                    {
                        AutoPayBusinessDay = attempt.BusinessDay;
                        AutoChargedThatDay = 0;
                    }
                    AutoChargedThatDay += attempt.Amount;
                }
                break;
            case AutoPayExhausted:
                AutoPayFailing = true;
                break;
            case DailyLimitReached limit:
                DailyLimitReachedOn = limit.BusinessDay;
                break;
        }

        if (entry is IIdempotentEvent idempotent) Remember(idempotent, entry);
        if (entry is ChargeStarted or ChargeCaptured) RecentCharges.TryAdd(ChargeIdOf(entry), entry.At);
        if (entry.At >= NextIdempotencyPrune) Forget(entry.At);
        if (entry is IPostingEvent money) Post(money.Posting);
        if (AutoPayFailing && Total >= 0) AutoPayFailing = false;
    }

    /// <summary>Stores a charge's new version as an item; a charge with nothing left to settle, use or refund leaves the state.</summary>
    private void Changed(ChargeRecord charge)
    {
        _changed.Add(new StateItem(WalletItems.Charges, charge.Id, charge.Ordinal, charge.Copy()));
        if (charge.Status != ChargeStatus.Pending && charge.Remaining == 0) Charges.Remove(charge.Id);
    }

    private void Post(Posting posting)
    {
        if (posting.Amount != posting.Free + posting.Paid || Free + posting.Free != posting.FreeAfter || Paid + posting.Paid != posting.PaidAfter)
            throw new InvalidOperationException($"Posting {posting.Reference} does not add up: {Free}+{Paid} then {posting}.");
        if (posting.FreeAfter < 0)
            throw new InvalidOperationException($"Posting {posting.Reference} would make free cash negative.");
        Free = posting.FreeAfter;
        Paid = posting.PaidAfter;
    }

    private void Remember(IIdempotentEvent idempotent, WalletEvent entry)
    {
        var resourceId = entry switch
        {
            ChargeStarted started => started.ChargeId,
            RefundIssued refund => refund.RefundId,
            FreeCashGranted granted => granted.GrantId,
            _ => throw new InvalidOperationException($"{entry.GetType().Name} does not name what it created."),
        };
        // A charge is found by its id, which follows from its scope; refunds and grants by their scope.
        if (entry is not ChargeStarted)
            Idempotency[idempotent.IdempotencyScope] = new IdempotencyRecord { RequestHash = idempotent.RequestHash, ResourceId = resourceId, CreatedAt = entry.At };
    }

    private static string ChargeIdOf(WalletEvent entry) => entry switch
    {
        ChargeStarted started => started.ChargeId,
        ChargeCaptured captured => captured.ChargeId,
        _ => throw new InvalidOperationException($"{entry.GetType().Name} starts no charge."),
    };

    /// <summary>Once an hour of entries, the window forgets what is older than <see cref="IdempotencyRetention"/>.</summary>
    private void Forget(DateTimeOffset now)
    {
        var cutoff = now - IdempotencyRetention;
        foreach (var (scope, record) in Idempotency)
        {
            if (record.CreatedAt < cutoff) Idempotency.Remove(scope);
        }
        foreach (var (chargeId, startedAt) in RecentCharges)
        {
            if (startedAt >= cutoff) continue;
            RecentCharges.Remove(chargeId);
            ChargesForgotten = true;
        }
        NextIdempotencyPrune = now + IdempotencyPruneEvery;
    }

    /// <summary>Free cash is spent lot by lot, the lot that expires first first.</summary>
    private void UseFreeCash(long amount)
    {
        var lots = FreeCash.Values.Where(l => l.Remaining > 0).OrderBy(l => l.ExpiresAt).ThenBy(l => l.Id, StringComparer.Ordinal).ToArray();
        var taken = MoneyRules.TakeInOrder([.. lots.Select(l => l.Remaining)], amount);
        for (var i = 0; i < lots.Length; i++)
        {
            lots[i].Remaining -= taken[i];
            if (lots[i].Remaining == 0) FreeCash.Remove(lots[i].Id);
        }
    }

    /// <summary>Paid cash is spent charge by charge, oldest first, so what stays refundable is the most recent charges'.</summary>
    private void UsePaidCash(long amount)
    {
        var charges = Charges.Values.Where(c => c.Remaining > 0).OrderBy(c => c.Ordinal).ToArray();
        var taken = MoneyRules.TakeInOrder([.. charges.Select(c => c.Remaining)], amount);
        for (var i = 0; i < charges.Length; i++)
        {
            if (taken[i] == 0) continue;
            charges[i].Remaining -= taken[i];
            Changed(charges[i]);
        }
    }
}

/// <summary>The collections of a wallet's history items.</summary>
public static class WalletItems
{
    public const string Charges = "charge";
    public const string Refunds = "refund";
    public const string FreeCashGrants = "free_cash_grant";
    public const string AutoPayAttempts = "auto_pay_attempt";
}

public static class ChargeStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

public sealed class CardRecord
{
    public string Id { get; set; } = "";

    public string Last4 { get; set; } = "";

    public string Kind { get; set; } = "";

    public string Token { get; set; } = "";
}

public sealed class ChargeRecord
{
    public string Id { get; set; } = "";

    /// <summary>How many charges the wallet had before this one.</summary>
    public long Ordinal { get; set; }

    public long Amount { get; set; }

    public string Method { get; set; } = "";

    public string? CardId { get; set; }

    /// <summary>The payment reference at the gateway; empty when it is the usual one, the wallet's id and the charge id.</summary>
    public string Reference { get; set; } = "";

    /// <summary>The hash of the request that created the charge, to refuse its idempotency key on another request.</summary>
    public string RequestHash { get; set; } = "";

    public string Status { get; set; } = "";

    public string? Code { get; set; }

    public string? CaptureId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Paid cash of this charge not yet used or refunded.</summary>
    public long Remaining { get; set; }

    public long Refunded { get; set; }

    public long DuplicatesRefunded { get; set; }

    /// <summary>The balance once the charge was settled (or when it started, while it is pending or if it failed).</summary>
    public long FreeAfter { get; set; }

    public long PaidAfter { get; set; }

    public ChargeRecord Copy() => (ChargeRecord)MemberwiseClone();
}

public sealed class RefundRecord
{
    public string Id { get; set; } = "";

    public long Ordinal { get; set; }

    /// <summary>The capture the refund returns money from, and the charge's payment reference; kept so that returning it needs no look-up.</summary>
    public string CaptureId { get; set; } = "";

    public string Reference { get; set; } = "";

    /// <summary>The gateway has returned the money to the payer.</summary>
    public bool Returned { get; set; }

    public string ChargeId { get; set; } = "";

    public long Amount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long FreeAfter { get; set; }

    public long PaidAfter { get; set; }
}

public sealed class FreeCashLot
{
    public string Id { get; set; } = "";

    public long Ordinal { get; set; }

    public long Amount { get; set; }

    public long Remaining { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public bool Expired { get; set; }

    /// <summary>The balance right after the grant.</summary>
    public long FreeAfter { get; set; }

    public long PaidAfter { get; set; }
}

public sealed class IdempotencyRecord
{
    public string RequestHash { get; set; } = "";

    public string ResourceId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
