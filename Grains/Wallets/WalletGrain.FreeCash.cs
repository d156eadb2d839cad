namespace AdWallet.Grains.Wallets;

/// <summary>Free (promotional) cash: granted by operators with an expiry, spent before paid cash, removed by a reminder when it expires.</summary>
public sealed partial class WalletGrain
{
    private const string FreeCashReminder = "free-cash-expiry";

    /// <summary>How often the expiry reminder looks again if it fires early or more lots wait.</summary>
    private static readonly TimeSpan FreeCashRecheck = TimeSpan.FromHours(1);

    public async Task<Idempotent<FreeCashGrantView>> GrantFreeCash(Caller caller, GrantFreeCash command, IdempotencyKey idempotencyKey)
    {
        if (!caller.IsOperator) throw DomainException.Forbidden("Only operators grant free cash.");
        if (!State.Exists) throw DomainException.NotFound($"Wallet {Id}");
        var scope = Scope(caller, "free_cash", idempotencyKey);
        if (TryFindEarlier(scope, idempotencyKey, out var earlier))
        {
            await wallet.WhenWrittenAsync();
            return new(await GrantViewAsync(earlier), Replayed: true);
        }
        if (command.Amount is <= 0 or > WalletLimits.MaximumCharge)
            throw new DomainException(ErrorCodes.ValidationFailed, $"A grant is 1 to {WalletLimits.MaximumCharge:N0} won.");
        if (command.ExpiresAt <= Now)
            throw new DomainException(ErrorCodes.ValidationFailed, "Free cash must expire in the future.");

        var grantId = NewId("fc");
        Raise(new FreeCashGranted(Now, grantId, command.Amount, command.ExpiresAt, scope, idempotencyKey.RequestHash,
            new Posting(TransactionKinds.FreeCash, command.Amount, command.Amount, 0, State.Free + command.Amount, State.Paid, grantId)));
        await Commit();
        await ScheduleFreeCashExpiryAsync();
        await PublishFundingAsync();
        await NotifyAsync([State.MasterId], grantId, "free_cash_granted", "Free cash was added",
            $"{command.Amount:N0} won of free cash was added to '{State.Name}'; it expires at {command.ExpiresAt:u}.");
        return new(await GrantViewAsync(grantId), Replayed: false);
    }

    private async Task<FreeCashGrantView> GrantViewAsync(string grantId)
    {
        var lot = State.FreeCash.GetValueOrDefault(grantId)
            ?? await wallet.ReadItemAsync<FreeCashLot>(WalletItems.FreeCashGrants, grantId)
            ?? throw new InvalidOperationException($"Grant {grantId} of wallet {Id} is neither held nor stored.");
        return new FreeCashGrantView(grantId, lot.Amount, lot.ExpiresAt, WalletViewsMapping.Balance(lot.FreeAfter, lot.PaidAfter));
    }

    /// <summary>Removes what is left of every lot whose time has come, as ledger entries, then waits for the next lot.</summary>
    private async Task ExpireFreeCashAsync()
    {
        foreach (var lot in State.FreeCash.Values.Where(l => !l.Expired && l.Remaining > 0 && l.ExpiresAt <= Now).OrderBy(l => l.ExpiresAt).ToArray())
        {
            Raise(new FreeCashExpired(Now, lot.Id,
                new Posting(TransactionKinds.FreeCash, -lot.Remaining, -lot.Remaining, 0, State.Free - lot.Remaining, State.Paid, $"{lot.Id}/expiry")));
        }
        await Commit();
        await ScheduleFreeCashExpiryAsync();
        await PublishFundingAsync();
    }

    private async Task ScheduleFreeCashExpiryAsync()
    {
        var waiting = State.FreeCash.Values.Where(l => !l.Expired && l.Remaining > 0).ToArray();
        if (waiting.Length == 0)
        {
            if (await this.GetReminder(FreeCashReminder) is { } reminder) await this.UnregisterReminder(reminder);
            return;
        }
        var next = waiting.Min(l => l.ExpiresAt);
        var due = next - Now;
        await this.RegisterOrUpdateReminder(FreeCashReminder, due > TimeSpan.Zero ? due : TimeSpan.Zero, reminderOptions.Value.AtLeastMinimum(FreeCashRecheck));
    }
}
