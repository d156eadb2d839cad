using Orleans;

namespace AdWallet.Grains;

/// <summary>Who asks: the authenticated user, and whether they hold the operator role. Grains decide what they may do.</summary>
[GenerateSerializer, Alias("adwallet.Caller")]
public sealed record Caller([property: Id(0)] string UserId, [property: Id(1)] bool IsOperator = false)
{
    public static Caller Operator(string userId) => new(userId, IsOperator: true);
}
