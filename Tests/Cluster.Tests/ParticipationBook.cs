using System.Collections.Concurrent;

namespace AdWallet.Cluster.Tests;

/// <summary>What the clients were told about participations: per campaign, the users accepted and the users refused (with the code).</summary>
public sealed class ParticipationBook
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _accepted = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _refused = new();

    public void Accept(string campaignId, string userId) => _accepted.GetOrAdd(campaignId, _ => new())[userId] = true;

    public void Refuse(string campaignId, string userId, string code) => _refused.GetOrAdd(campaignId, _ => new())[userId] = code;

    public IReadOnlyCollection<string> AcceptedUsers(string campaignId) =>
        _accepted.TryGetValue(campaignId, out var users) ? [.. users.Keys] : [];

    public IReadOnlyDictionary<string, string> RefusedUsers(string campaignId) =>
        _refused.TryGetValue(campaignId, out var users) ? users : new Dictionary<string, string>();

    public int AcceptedCount => _accepted.Values.Sum(users => users.Count);

    public int RefusedCount => _refused.Values.Sum(users => users.Count);
}
