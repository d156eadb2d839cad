namespace AdWallet.Silo;

/// <summary>How the platform runs its grains. Configuration section <c>Cluster</c>.</summary>
public sealed class PlatformClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>One silo in the API process, state in a SQLite file under <c>Data:Path</c>. The default.</summary>
    public const string EmbeddedMode = "embedded";

    /// <summary>Silo processes sharing a PostgreSQL database (<c>ConnectionStrings:Postgres</c>); the API is their client.</summary>
    public const string PostgresMode = "postgres";

    /// <summary><see cref="EmbeddedMode"/> or <see cref="PostgresMode"/>.</summary>
    public string Mode { get; set; } = EmbeddedMode;

    /// <summary>Reads and checks the mode; an unknown one stops the start with a message naming the key.</summary>
    public static bool IsClusterMode(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var mode = configuration[$"{SectionName}:{nameof(Mode)}"] ?? EmbeddedMode;
        if (string.Equals(mode, EmbeddedMode, StringComparison.OrdinalIgnoreCase)) return false;
        if (string.Equals(mode, PostgresMode, StringComparison.OrdinalIgnoreCase)) return true;
        throw new InvalidOperationException($"{SectionName}:{nameof(Mode)} must be '{EmbeddedMode}' or '{PostgresMode}', not '{mode}'.");
    }
}
