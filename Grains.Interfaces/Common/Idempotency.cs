namespace AdWallet.Grains;

/// <summary>
/// An idempotency key as the API received it, with a hash of the request it came with. Keys are scoped to the
/// caller and the target resource: the grain that receives it keeps its outcome with its own state.
/// </summary>
public sealed record IdempotencyKey(string Key, string RequestHash);

/// <summary>An outcome, and whether it is the stored answer to an earlier request with the same key.</summary>
public sealed record Idempotent<T>(T Value, bool Replayed);
