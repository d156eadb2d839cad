using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AdWallet.Persistence.PostgreSql;

/// <summary>Checks <see cref="PostgreSqlStorageOptions"/> at start; every message names the configuration key to fix.</summary>
public sealed partial class PostgreSqlStorageOptionsValidator : IValidateOptions<PostgreSqlStorageOptions>
{
    public const int MinBatchSize = 1;

    public const int MaxBatchSize = 10_000;

    public ValidateOptionsResult Validate(string? name, PostgreSqlStorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{PostgreSqlStorageOptions.ConnectionStringKey} must be set to the Npgsql connection string of the cluster database " +
                "(for example Host=db;Database=adwallet;Username=adwallet;Password=...).");
        }
        else if (ConnectionStringProblem(options.ConnectionString) is { } problem)
        {
            failures.Add($"{PostgreSqlStorageOptions.ConnectionStringKey} {problem}");
        }
        if (options.Schema is { } schema && !SchemaName().IsMatch(schema))
        {
            failures.Add($"{PostgreSqlStorageOptions.SchemaKey} must be a plain identifier (letters, digits and '_', not starting with a digit, " +
                $"at most 63 characters), not '{schema}'; leave it out to use the connection's search path.");
        }
        if (options.MaxBatchSize is < MinBatchSize or > MaxBatchSize)
            failures.Add($"{PostgreSqlStorageOptions.MaxBatchSizeKey} must be between {MinBatchSize} and {MaxBatchSize}, not {options.MaxBatchSize}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The message never repeats the connection string: it usually holds a password.
    private static string? ConnectionStringProblem(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return $"is not a valid Npgsql connection string: {exception.Message}";
        }
        return string.IsNullOrWhiteSpace(builder.Host) ? "must name the server with Host=." : null;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
