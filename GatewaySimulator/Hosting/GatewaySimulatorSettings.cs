using AdWallet.GatewaySimulator.Options;

namespace AdWallet.GatewaySimulator;

/// <summary>What an in-process host chooses for a <see cref="GatewaySimulatorServer"/>; the rest is <c>Simulator</c>'s defaults.</summary>
public sealed record GatewaySimulatorSettings
{
    /// <summary>The folder of the SQLite file; created if missing.</summary>
    public required string DataPath { get; init; }

    public string FileName { get; init; } = SimulatorOptions.DefaultFileName;

    public string SecretKey { get; init; } = SimulatorOptions.DefaultSecretKey;

    public string WebhookSecret { get; init; } = SimulatorOptions.DefaultWebhookSecret;

    /// <summary>Where webhooks go from the start; or set one later with <see cref="Webhooks.WebhookTarget.SetUrl"/>.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>Serves <c>/admin/*</c>. <see cref="GatewaySimulatorServer.Faults"/> works either way.</summary>
    public bool AdminEnabled { get; init; }

    /// <summary>The loopback port to listen on; 0 chooses a free one.</summary>
    public int Port { get; init; }

    /// <summary>The clock of every timestamp the simulator shows; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>The handler that delivers webhooks (for example a TestServer's); a new socket handler when null. Not disposed by the simulator.</summary>
    public HttpMessageHandler? WebhookHandler { get; init; }

    /// <summary>Further configuration, such as <c>Simulator:Webhooks:FirstRetryDelay</c>; it wins over the properties above.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    /// <summary>Where the simulator logs; by default ASP.NET Core's providers (console and debug).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>The settings as configuration keys; an entry of <see cref="Configuration"/> replaces the key it names.</summary>
    internal Dictionary<string, string?> ToConfiguration()
    {
        const string Section = SimulatorOptions.SectionName;
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [$"{Section}:{nameof(SimulatorOptions.DataPath)}"] = DataPath,
            [$"{Section}:{nameof(SimulatorOptions.FileName)}"] = FileName,
            [$"{Section}:{nameof(SimulatorOptions.SecretKey)}"] = SecretKey,
            [$"{Section}:{nameof(SimulatorOptions.WebhookSecret)}"] = WebhookSecret,
            [$"{Section}:{nameof(SimulatorOptions.WebhookUrl)}"] = WebhookUrl?.OriginalString,
            [$"{Section}:Admin:{nameof(AdminOptions.Enabled)}"] = AdminEnabled ? "true" : "false",
            [WebHostDefaults.ServerUrlsKey] = $"http://127.0.0.1:{Port}",
        };
        foreach (var (key, value) in Configuration)
            configuration[key] = value;
        return configuration;
    }
}
