namespace Granary;

/// <summary>
/// A grain on another silo threw an exception whose type could not be rebuilt in this process (its assembly is not
/// loaded here, or it has no constructor the transport can call). It keeps the original type name and message.
/// </summary>
public sealed class RemoteGrainException(string originalTypeName, string message) : Exception(message)
{
    /// <summary>The full name of the exception type the grain threw.</summary>
    public string OriginalTypeName { get; } = originalTypeName;
}
