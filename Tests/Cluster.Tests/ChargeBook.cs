using System.Collections.Concurrent;

namespace AdWallet.Cluster.Tests;

/// <summary>What the clients were told about charges: per wallet, each key's charge id and whether it was acknowledged (201) or declined (402).</summary>
public sealed class ChargeBook
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ChargeTold>> _byWallet = new();

    public void Acknowledge(string walletId, string key, string chargeId, long amount) => Record(walletId, key, new ChargeTold(chargeId, amount, Succeeded: true));

    public void Decline(string walletId, string key, string chargeId, long amount) => Record(walletId, key, new ChargeTold(chargeId, amount, Succeeded: false));

    /// <summary>Key to answer, for one wallet.</summary>
    public IReadOnlyDictionary<string, ChargeTold> For(string walletId) =>
        _byWallet.TryGetValue(walletId, out var told) ? told : new Dictionary<string, ChargeTold>();

    public int AcknowledgedCount => _byWallet.Values.Sum(told => told.Values.Count(c => c.Succeeded));

    public int DeclinedCount => _byWallet.Values.Sum(told => told.Values.Count(c => !c.Succeeded));

    private void Record(string walletId, string key, ChargeTold answer)
    {
        var told = _byWallet.GetOrAdd(walletId, _ => new());
        // A key is answered once by the client; a second, different answer would be the API changing its mind.
        if (!told.TryAdd(key, answer) && told[key] != answer)
            throw new UnexpectedAnswerException($"Charge key {key} of wallet {walletId} was answered {told[key]} and later {answer}.");
    }
}

public sealed record ChargeTold(string ChargeId, long Amount, bool Succeeded);
