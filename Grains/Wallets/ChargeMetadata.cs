using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// A top-up's metadata at the gateway: four fields rather than a dictionary, since every charge sends one and a gateway
/// in the same process (the simulated one) keeps them all.
/// </summary>
internal sealed class ChargeMetadata(string scope, string requestHash, string method, string? cardId) : IReadOnlyDictionary<string, string>
{
    public int Count => cardId is null ? 3 : 4;

    public IEnumerable<string> Keys => this.Select(pair => pair.Key);

    public IEnumerable<string> Values => this.Select(pair => pair.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        value = key switch
        {
            ChargeRequest.ScopeMetadata => scope,
            ChargeRequest.RequestHashMetadata => requestHash,
            ChargeRequest.MethodMetadata => method,
            ChargeRequest.CardMetadata => cardId,
            _ => null,
        };
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        yield return new(ChargeRequest.ScopeMetadata, scope);
        yield return new(ChargeRequest.RequestHashMetadata, requestHash);
        yield return new(ChargeRequest.MethodMetadata, method);
        if (cardId is not null) yield return new(ChargeRequest.CardMetadata, cardId);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
