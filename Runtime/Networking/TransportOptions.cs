using Microsoft.Extensions.Options;

namespace Granary.Networking;

/// <summary>Options for the connections between silos, and from cluster clients to silos. Configuration section <c>Transport</c>.</summary>
public sealed class TransportOptions
{
    public const string SectionName = "Transport";

    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    public const int DefaultMaxFrameSize = 16 * 1024 * 1024;

    public static readonly TimeSpan DefaultShutdownGracePeriod = TimeSpan.FromSeconds(10);

    /// <summary>How long opening a connection to a silo may take before the calls waiting for it fail.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>The largest message, in bytes, sent or taken; a peer that sends a larger one is disconnected.</summary>
    public int MaxFrameSize { get; set; } = DefaultMaxFrameSize;

    /// <summary>How long a stopping silo waits for the answers to calls it is still running before it closes its connections.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = DefaultShutdownGracePeriod;
}

internal sealed class TransportOptionsValidator : IValidateOptions<TransportOptions>
{
    /// <summary>Room for a call's envelope: a frame must hold at least a small call.</summary>
    public const int MinFrameSize = 1024;

    public ValidateOptionsResult Validate(string? name, TransportOptions options)
    {
        List<string> failures = [];
        if (options.ConnectTimeout <= TimeSpan.Zero)
            failures.Add($"{TransportOptions.SectionName}:{nameof(TransportOptions.ConnectTimeout)} must be positive.");
        if (options.MaxFrameSize < MinFrameSize)
            failures.Add($"{TransportOptions.SectionName}:{nameof(TransportOptions.MaxFrameSize)} must be at least {MinFrameSize} bytes, not {options.MaxFrameSize}.");
        if (options.ShutdownGracePeriod < TimeSpan.Zero)
            failures.Add($"{TransportOptions.SectionName}:{nameof(TransportOptions.ShutdownGracePeriod)} must not be negative.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
