namespace AdWallet.Silo;

/// <summary>What the platform's hosts add to their command line.</summary>
public static class HostArguments
{
    /// <summary>
    /// Configuration files are read once, at start. By default .NET watches the content root, recursively, for changes
    /// to them; the embedded mode's data folder lies under it, so every SQLite write woke the watcher (inotify) and
    /// cost the writer a kernel wake-up. Nothing in the platform reloads configuration while it runs.
    /// </summary>
    public const string NoConfigurationReload = "--hostBuilder:reloadConfigOnChange=false";

    public static string[] WithoutConfigurationReload(string[] args) => [.. args, NoConfigurationReload];
}
