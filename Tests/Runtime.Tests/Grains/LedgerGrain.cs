namespace Granary.Tests.Grains;

public sealed class LedgerState
{
    public long Balance { get; set; }
}

public sealed record LedgerLine(long Amount, string Memo);

public interface ILedgerGrain : IGrainWithStringKey
{
    /// <summary>Posts lines as one atomic write; refuses the whole batch if the balance would go below zero.</summary>
    Task<long> Post(LedgerLine[] lines, string kind);

    Task<long> Balance();

    Task<IReadOnlyList<JournalEntry<LedgerLine>>> Lines(long? before, int limit, string? kind = null);
}

public sealed class LedgerGrain([PersistentState("ledger")] IJournaledState<LedgerState, LedgerLine> ledger) : Grain, ILedgerGrain
{
    public async Task<long> Post(LedgerLine[] lines, string kind)
    {
        var balance = ledger.State.Balance + lines.Sum(l => l.Amount);
        if (balance < 0) throw new InvalidOperationException("The balance cannot go below zero.");
        foreach (var line in lines) ledger.Append(line, kind);
        ledger.State.Balance = balance;
        await ledger.WriteStateAsync();
        return balance;
    }

    public Task<long> Balance() => Task.FromResult(ledger.State.Balance);

    public Task<IReadOnlyList<JournalEntry<LedgerLine>>> Lines(long? before, int limit, string? kind = null) =>
        ledger.ReadEntriesAsync(before, limit, kind is null ? null : [kind]);
}
