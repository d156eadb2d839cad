using Orleans;

namespace AdWallet.Grains;

/// <summary>
/// An idempotency key as the API received it, with a hash of the request it came with. Keys are scoped to the
/// caller and the target resource: the grain that receives it keeps its outcome with its own state.
/// </summary>
[GenerateSerializer, Alias("adwallet.IdempotencyKey")]
public sealed record IdempotencyKey([property: Id(0)] string Key, [property: Id(1)] string RequestHash);

/// <summary>An outcome, and whether it is the stored answer to an earlier request with the same key.</summary>
[GenerateSerializer, Alias("adwallet.Idempotent`1")]
public sealed record Idempotent<T>([property: Id(0)] T Value, [property: Id(1)] bool Replayed);
