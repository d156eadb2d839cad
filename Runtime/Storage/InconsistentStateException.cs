namespace Granary.Storage;

/// <summary>
/// A conditional write found another ETag than the one the activation read: someone else wrote first. The activation
/// that sees this is dropped, so its next call starts from what is stored.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(string message, string? storedETag = null, string? currentETag = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StoredETag = storedETag;
        CurrentETag = currentETag;
    }

    /// <summary>The ETag found in storage, when the provider knows it.</summary>
    public string? StoredETag { get; }

    /// <summary>The ETag the writer expected.</summary>
    public string? CurrentETag { get; }
}
