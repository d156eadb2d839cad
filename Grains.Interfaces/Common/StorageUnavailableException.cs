using Orleans;

namespace AdWallet.Grains;

/// <summary>
/// The database could not be reached or refused for a while (a lost connection, too many clients): nothing the caller
/// asked for is known to have happened, and a retry with the same idempotency key is safe. The database driver's own
/// exception stays in the silo's log; this one crosses grain boundaries.
/// </summary>
[GenerateSerializer, Alias("adwallet.StorageUnavailableException")]
public sealed class StorageUnavailableException(string message) : Exception(message);
