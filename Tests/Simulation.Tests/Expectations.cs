using AdWallet.Grains;
using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Wallets;

namespace AdWallet.Simulation.Tests;

/// <summary>A charge a client asked for under one Idempotency-Key, and what it was told.</summary>
public sealed class ChargeRecord(string walletId, ChargeCommand command, IdempotencyKey key)
{
    public string WalletId { get; } = walletId;

    public ChargeCommand Command { get; } = command;

    public IdempotencyKey Key { get; } = key;

    /// <summary>The first charge the client was shown; null while every answer was an error.</summary>
    public ChargeView? First { get; set; }

    /// <summary>The latest answer: a pending charge's retry may complete it.</summary>
    public ChargeView? Latest { get; set; }

    /// <summary>True while the last attempt ended without an answer (a timeout or a failure): the client retries with the key.</summary>
    public bool InDoubt { get; set; }

    public bool IsFinal => Latest is { Status: ChargeStatus.Succeeded or ChargeStatus.Failed };
}

/// <summary>A refund a client asked for under one Idempotency-Key, and what it was told.</summary>
public sealed class RefundRecord(string walletId, RefundCommand command, IdempotencyKey key)
{
    public string WalletId { get; } = walletId;

    public RefundCommand Command { get; } = command;

    public IdempotencyKey Key { get; } = key;

    public RefundView? First { get; set; }

    public bool InDoubt { get; set; }
}

/// <summary>A participation of one user in one campaign, and what the campaign answered.</summary>
public sealed class ParticipationRecord(string campaignId, string userId, string phone)
{
    public string CampaignId { get; } = campaignId;

    public string UserId { get; } = userId;

    public string Phone { get; } = phone;

    public bool? Accepted { get; set; }

    public bool InDoubt { get; set; }
}

/// <summary>What the clients were told, kept to check every later answer and the state against it.</summary>
public sealed class Expectations
{
    private readonly Lock _gate = new();

    public Dictionary<string, ChargeRecord> Charges { get; } = [];

    public Dictionary<string, RefundRecord> Refunds { get; } = [];

    public Dictionary<(string Campaign, string User), ParticipationRecord> Participations { get; } = [];

    /// <summary>Free-cash grants the operator was told of, by grant id: the wallet and the amount.</summary>
    public Dictionary<string, (string WalletId, long Amount)> Grants { get; } = [];

    public T Locked<T>(Func<T> read)
    {
        lock (_gate) return read();
    }

    public void Locked(Action change)
    {
        lock (_gate) change();
    }

    /// <summary>Records an answer to a charge and checks it against the first: a replay answers what the first answer said.</summary>
    public string? ChargeAnswered(ChargeRecord record, ChargeView view)
    {
        lock (_gate)
        {
            record.InDoubt = false;
            var first = record.First;
            if (first is null)
            {
                record.First = record.Latest = view;
                return null;
            }
            if (view.Id != first.Id || view.Amount != first.Amount)
                return $"charge key {record.Key.Key} on {record.WalletId}: first answered {first.Id} {first.Amount}, a replay {view.Id} {view.Amount}";
            if (record.IsFinal && view.Status != record.Latest!.Status)
                return $"charge key {record.Key.Key} on {record.WalletId}: answered {record.Latest.Status}, a replay {view.Status}";
            record.Latest = view;
            return null;
        }
    }

    public string? RefundAnswered(RefundRecord record, RefundView view)
    {
        lock (_gate)
        {
            record.InDoubt = false;
            if (record.First is null)
            {
                record.First = view;
                return null;
            }
            return view.Id == record.First.Id && view.Amount == record.First.Amount
                ? null
                : $"refund key {record.Key.Key} on {record.WalletId}: first answered {record.First.Id} {record.First.Amount}, a replay {view.Id} {view.Amount}";
        }
    }

    public string? ParticipationAnswered(ParticipationRecord record, bool accepted)
    {
        lock (_gate)
        {
            record.InDoubt = false;
            if (record.Accepted is null)
            {
                record.Accepted = accepted;
                return null;
            }
            // Once accepted, the same user is answered with the first answer; a refusal (not running, OFF, exhausted)
            // may be followed by an acceptance only if nothing was charged the first time, which a refusal guarantees.
            if (record.Accepted == true && !accepted)
                return $"participation of {record.UserId} in {record.CampaignId} was accepted, a repeat was refused";
            record.Accepted = record.Accepted == true || accepted;
            return null;
        }
    }
}
