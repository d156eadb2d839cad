namespace Granary;

/// <summary>
/// A call would wait on a grain that is itself waiting, further up the same call chain, for this call to finish.
/// </summary>
public sealed class DeadlockException(string message) : Exception(message);

/// <summary>A grain could not be activated: its constructor, state read or <c>OnActivateAsync</c> failed.</summary>
public sealed class GrainActivationException(string message, Exception innerException) : Exception(message, innerException);
