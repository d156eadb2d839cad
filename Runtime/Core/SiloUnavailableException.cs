namespace Granary;

/// <summary>The silo that should have run a request is stopping or gone. The caller may retry.</summary>
public sealed class SiloUnavailableException(string message) : Exception(message);
