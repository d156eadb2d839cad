namespace AdWallet.Grains;

/// <summary>Who asks: the authenticated user, and whether they hold the operator role. Grains decide what they may do.</summary>
public sealed record Caller(string UserId, bool IsOperator = false)
{
    public static Caller Operator(string userId) => new(userId, IsOperator: true);
}
