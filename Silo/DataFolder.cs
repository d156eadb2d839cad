using Microsoft.Extensions.Configuration;

namespace AdWallet.Silo;

/// <summary>The embedded mode's data folder, <c>Data:Path</c>: the SQLite file, and the API's signing key.</summary>
public static class DataFolder
{
    public const string PathKey = "Data:Path";

    public const string DefaultPath = "./data";

    public static string Resolve(IConfiguration configuration)
    {
        var path = configuration[PathKey];
        return Path.GetFullPath(string.IsNullOrWhiteSpace(path) ? DefaultPath : path);
    }
}
