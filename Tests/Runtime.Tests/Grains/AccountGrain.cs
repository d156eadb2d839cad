namespace Granary.Tests.Grains;

/// <summary>An account whose state is a projection of its journal, as a wallet's is.</summary>
public sealed class AccountState : IJournalProjection<AccountEvent>
{
    public long Balance { get; set; }

    public int Postings { get; set; }

    public void Apply(AccountEvent entry)
    {
        Balance += entry.Amount;
        Postings++;
    }
}

public sealed record AccountEvent(long Amount, string Memo);

public interface IAccountGrain : IGrainWithStringKey
{
    Task<long> Post(long amount, string memo);

    Task<long> Balance();

    Task<int> Postings();

    Task<string?> Etag();

    Task<long> SumOfJournal();
}

/// <summary>Reentrant, so concurrent posts interleave at their write and share it.</summary>
[Reentrant]
public sealed class AccountGrain([PersistentState("account")] IJournaledState<AccountState, AccountEvent> account) : Grain, IAccountGrain
{
    public async Task<long> Post(long amount, string memo)
    {
        if (account.State.Balance + amount < 0) throw new InvalidOperationException("The balance cannot go below zero.");
        account.Append(new AccountEvent(amount, memo), amount >= 0 ? "credit" : "debit");
        var balance = account.State.Balance;
        await account.WriteStateAsync();
        return balance;
    }

    public async Task<long> Balance()
    {
        await account.WhenWrittenAsync();
        return account.State.Balance;
    }

    public Task<int> Postings() => Task.FromResult(account.State.Postings);

    public Task<string?> Etag() => Task.FromResult(account.Etag);

    public async Task<long> SumOfJournal()
    {
        long sum = 0;
        long? before = null;
        while (await account.ReadEntriesAsync(before, 100) is { Count: > 0 } page)
        {
            sum += page.Sum(e => e.Value.Amount);
            before = page[^1].Sequence;
        }
        return sum;
    }
}
