using Microsoft.Data.Sqlite;

namespace Granary.Sqlite;

/// <summary>Creates the tables from the scripts under <c>Sql/</c>, embedded in this assembly. Every script is idempotent.</summary>
internal static class SqliteSchema
{
    private const string ResourcePrefix = "Granary.Sqlite.Sql.";

    public static void Apply(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        foreach (var script in LoadScripts())
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = script;
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static IEnumerable<string> LoadScripts()
    {
        var assembly = typeof(SqliteSchema).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return reader.ReadToEnd();
        }
    }
}
