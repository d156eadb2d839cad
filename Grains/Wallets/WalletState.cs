using System.Text.Json.Serialization;
using Granary;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// A wallet as its events made it. Every change happens in <see cref="Apply"/>, which is also how the state is rebuilt
/// after a restart, so what a grain decides and what a replay rebuilds can never differ.
/// </summary>
/// <remarks>
/// Invariants, checked on every posting: free cash is never negative; a posting's amount is its free part plus its
/// paid part; the balance after a posting is the balance before it plus the posting. Together with the journal being
/// append-only, the balance is always the sum of the ledger.
/// </remarks>
public sealed class WalletState : IJournalProjection<WalletEvent>, IItemizedProjection, IJsonOnDeserialized
{
    /// <summary>How long an idempotency key's answer is kept; API.md promises at least 24 hours.</summary>
    public static readonly TimeSpan IdempotencyRetention = TimeSpan.FromHours(48);

    private static readonly TimeSpan IdempotencyPruneEvery = TimeSpan.FromHours(1);

    public bool Exists { get; set; }

    public string Name { get; set; } = "";

    public string Kind { get; set; } = "";

    public string MasterId { get; set; } = "";

    public List<string> MemberIds { get; set; } = [];

    public string? BusinessRegistrationNumber { get; set; }

    public string? TaxInvoiceEmail { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long Free { get; set; }

    public long Paid { get; set; }

    public long Total => Free + Paid;

    public List<string> ChannelIds { get; set; } = [];

    /// <summary>The primary card first, then the backups in order.</summary>
    public List<CardRecord> Cards { get; set; } = [];

    public bool AutoPayEnabled { get; set; }

    public long? DailyLimit { get; set; }

    /// <summary>Every charge, oldest first. Stored as the state's items, one per charge, each rewritten only when it changed (<see cref="IItemizedProjection"/>, <see cref="ChargeItem"/>).</summary>
    [JsonIgnore]
    public ChargeBook Charges { get; private set; } = new();

    /// <summary>The charges, as snapshots written before they were stored as items kept them; they are stored as items at the next snapshot.</summary>
    [JsonPropertyName("charges")]
    [JsonConverter(typeof(ChargeTableJsonConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, ChargeRecord>? StoredCharges
    {
        get => null;
        set => _storedCharges = value;
    }

    /// <summary>The order of the charges, as snapshots written before it was taken from <see cref="StoredCharges"/> kept it.</summary>
    [JsonPropertyName("chargeOrder")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? StoredChargeOrder
    {
        get => null;
        set => _storedChargeOrder = value;
    }

    public HashSet<string> PendingCharges { get; set; } = [];

    /// <summary>Charges credited from a capture, ever: reconciliation checks the gateway until it has counted them all.</summary>
    public long CaptureCredits { get; set; }

    /// <summary>How many of <see cref="CaptureCredits"/> reconciliation has seen among the gateway's captures.</summary>
    public long CaptureCreditsReconciled { get; set; }

    /// <summary>The last of the wallet's captures at the gateway that reconciliation has checked; null before the first.</summary>
    public string? CaptureCursor { get; set; }

    public Dictionary<string, RefundRecord> Refunds { get; set; } = [];

    public HashSet<string> PendingRefunds { get; set; } = [];

    public Dictionary<string, FreeCashLot> FreeCash { get; set; } = [];

    public Dictionary<string, IdempotencyRecord> Idempotency { get; set; } = [];

    public DateTimeOffset NextIdempotencyPrune { get; set; }

    /// <summary>Auto-pay attempts, oldest first.</summary>
    public List<AutoPayAttemptView> AutoPayAttempts { get; set; } = [];

    public List<string> AdAccountIds { get; set; } = [];

    /// <summary>The last settlement sequence taken from each campaign.</summary>
    public Dictionary<string, long> Settlements { get; set; } = [];

    /// <summary>The ordinal of the oldest charge with unused paid cash, or of one before it; earlier ones are used up.</summary>
    public int OldestUnusedCharge { get; set; }

    public bool FundingOn { get; set; }

    public string? FundingOffReason { get; set; }

    /// <summary>Every card failed on the last auto-pay run and the balance is still negative.</summary>
    public bool AutoPayFailing { get; set; }

    public DateOnly? DailyLimitReachedOn { get; set; }

    public DateOnly? AutoPayBusinessDay { get; set; }

    /// <summary>What auto-pay charged on <see cref="AutoPayBusinessDay"/>.</summary>
    public long AutoChargedThatDay { get; set; }

    /// <summary>The ordinals of the charges changed since the last snapshot.</summary>
    private readonly HashSet<int> _changedCharges = [];

    private Dictionary<string, ChargeRecord>? _storedCharges;
    private List<string>? _storedChargeOrder;

    Type IItemizedProjection.ItemType => typeof(ChargeItem);

    IReadOnlyList<KeyValuePair<string, object>> IItemizedProjection.TakeChangedItems()
    {
        // A charge's ordinal is its place in the book, so no two charges taken together share a key.
        var items = _changedCharges.Order().Select(ordinal => new KeyValuePair<string, object>(ItemKey(ordinal), new ChargeItem(Charges[ordinal]))).ToArray();
        _changedCharges.Clear();
        return items;
    }

    void IItemizedProjection.LoadItem(object item) => Charges.Add(((ChargeItem)item).Charge);

    /// <summary>Charges read from a snapshot that held them are stored as items at the next snapshot.</summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (_storedCharges is not { Count: > 0 } stored) return;
        var order = _storedChargeOrder is { Count: > 0 } storedOrder ? storedOrder : [.. stored.Keys];
        for (var ordinal = 0; ordinal < order.Count; ordinal++)
        {
            var charge = stored[order[ordinal]];
            charge.Ordinal = ordinal;
            AddCharge(charge);
        }
        _storedCharges = null;
        _storedChargeOrder = null;
    }

    /// <summary>Items are read back in key order, which is the charges' order.</summary>
    private static string ItemKey(int ordinal) => ordinal.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);

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
                AddCharge(new ChargeRecord
                {
                    Id = started.ChargeId,
                    Ordinal = Charges.Count,
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
                PendingCharges.Add(started.ChargeId);
                break;
            case ChargeSucceeded succeeded:
                var charge = Charges[succeeded.ChargeId];
                // The part of a charge that pays off a negative balance is used at once; the rest can be refunded.
                charge.Remaining = charge.Amount - Math.Min(charge.Amount, Math.Max(0, -Paid));
                charge.Status = ChargeStatus.Succeeded;
                charge.CaptureId = succeeded.CaptureId;
                charge.FreeAfter = succeeded.Posting.FreeAfter;
                charge.PaidAfter = succeeded.Posting.PaidAfter;
                StoreCharge(charge);
                PendingCharges.Remove(charge.Id);
                CaptureCredits++;
                break;
            case ChargeCaptured captured:
                AddCharge(new ChargeRecord
                {
                    Id = captured.ChargeId,
                    Ordinal = Charges.Count,
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
            case ChargeFailed failed:
                var failedCharge = Charges[failed.ChargeId];
                failedCharge.Status = ChargeStatus.Failed;
                failedCharge.Code = failed.Code;
                StoreCharge(failedCharge);
                PendingCharges.Remove(failed.ChargeId);
                break;
            case ChargesVerified:
                break;
            case CapturesReconciled reconciled:
                CaptureCursor = reconciled.Cursor;
                CaptureCreditsReconciled = reconciled.CreditsReconciled;
                break;
            case DuplicateCaptureRefunded duplicate:
                var duplicated = Charges[duplicate.ChargeId];
                duplicated.DuplicatesRefunded += duplicate.Amount;
                StoreCharge(duplicated);
                break;
            case RefundIssued refund:
                var refunded = Charges[refund.ChargeId];
                refunded.Remaining -= refund.Amount;
                refunded.Refunded += refund.Amount;
                StoreCharge(refunded);
                Refunds[refund.RefundId] = new RefundRecord
                {
                    Id = refund.RefundId,
                    ChargeId = refund.ChargeId,
                    Amount = refund.Amount,
                    CreatedAt = refund.At,
                    FreeAfter = refund.Posting.FreeAfter,
                    PaidAfter = refund.Posting.PaidAfter,
                };
                PendingRefunds.Add(refund.RefundId);
                break;
            case RefundSettled settled:
                PendingRefunds.Remove(settled.RefundId);
                break;
            case FreeCashGranted granted:
                FreeCash[granted.GrantId] = new FreeCashLot
                {
                    Id = granted.GrantId,
                    Amount = granted.Amount,
                    Remaining = granted.Amount,
                    ExpiresAt = granted.ExpiresAt,
                    FreeAfter = granted.Posting.FreeAfter,
                    PaidAfter = granted.Posting.PaidAfter,
                };
                break;
            case FreeCashExpired expired:
                FreeCash[expired.GrantId].Remaining = 0;
                FreeCash[expired.GrantId].Expired = true;
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
                AutoPayAttempts.Add(new AutoPayAttemptView(attempt.AttemptId, attempt.CardId, attempt.Amount, attempt.Status, attempt.Code, attempt.At));
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
        if (entry is IPostingEvent money) Post(money.Posting);
        if (AutoPayFailing && Total >= 0) AutoPayFailing = false;
    }

    /// <summary>Adds a charge, to be stored as an item with the next snapshot.</summary>
    private void AddCharge(ChargeRecord charge)
    {
        Charges.Add(charge);
        _changedCharges.Add(charge.Ordinal);
    }

    /// <summary>Keeps the changes made to a charge read from the book, to be stored as an item with the next snapshot.</summary>
    private void StoreCharge(ChargeRecord charge)
    {
        Charges.Update(charge);
        _changedCharges.Add(charge.Ordinal);
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
        Idempotency[idempotent.IdempotencyScope] = new IdempotencyRecord { RequestHash = idempotent.RequestHash, ResourceId = resourceId, CreatedAt = entry.At };
        if (entry.At < NextIdempotencyPrune) return;
        var cutoff = entry.At - IdempotencyRetention;
        foreach (var (scope, record) in Idempotency)
        {
            if (record.CreatedAt < cutoff) Idempotency.Remove(scope);
        }
        NextIdempotencyPrune = entry.At + IdempotencyPruneEvery;
    }

    /// <summary>Free cash is spent lot by lot, the lot that expires first first.</summary>
    private void UseFreeCash(long amount)
    {
        foreach (var lot in FreeCash.Values.Where(l => !l.Expired && l.Remaining > 0).OrderBy(l => l.ExpiresAt).ThenBy(l => l.Id, StringComparer.Ordinal))
        {
            if (amount == 0) return;
            var used = Math.Min(amount, lot.Remaining);
            lot.Remaining -= used;
            amount -= used;
        }
    }

    /// <summary>Paid cash is spent charge by charge, oldest first, so what stays refundable is the most recent charges'.</summary>
    private void UsePaidCash(long amount)
    {
        for (var ordinal = OldestUnusedCharge; ordinal < Charges.Count && amount > 0; ordinal++)
        {
            var used = Math.Min(amount, Charges.RemainingOf(ordinal));
            if (used == 0) continue;
            var charge = Charges[ordinal];
            charge.Remaining -= used;
            StoreCharge(charge);
            amount -= used;
        }
        while (OldestUnusedCharge < Charges.Count && Charges.RemainingOf(OldestUnusedCharge) == 0 && Charges.StatusOf(OldestUnusedCharge) != ChargeStatus.Pending)
            OldestUnusedCharge++;
    }
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
    public int Ordinal { get; set; }

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
}

public sealed class RefundRecord
{
    public string Id { get; set; } = "";

    public string ChargeId { get; set; } = "";

    public long Amount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long FreeAfter { get; set; }

    public long PaidAfter { get; set; }
}

public sealed class FreeCashLot
{
    public string Id { get; set; } = "";

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
