using Microsoft.Extensions.Options;

namespace Granary.Hosting;

/// <summary>Where a silo of a cluster listens for other silos. Configuration section <c>Silo</c>.</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Silo";

    public const string DefaultAdvertisedHost = "127.0.0.1";

    /// <summary>The TCP port for silo-to-silo traffic; 0 lets the system pick one (tests).</summary>
    public int Port { get; set; }

    /// <summary>The host name or IP address other silos and clients use to reach this silo.</summary>
    public string AdvertisedHost { get; set; } = DefaultAdvertisedHost;
}

internal sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        List<string> failures = [];
        if (options.Port is < 0 or > 65535)
            failures.Add($"{SiloOptions.SectionName}:{nameof(SiloOptions.Port)} must be a TCP port (0 to 65535), not {options.Port}.");
        if (string.IsNullOrWhiteSpace(options.AdvertisedHost) || options.AdvertisedHost.Contains('@') || options.AdvertisedHost.Contains('/'))
            failures.Add($"{SiloOptions.SectionName}:{nameof(SiloOptions.AdvertisedHost)} must be a host name or an IP address.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
