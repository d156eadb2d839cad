using Microsoft.Extensions.Options;

namespace AdWallet.Persistence.Sqlite;

public sealed class SqliteStorageOptionsValidator : IValidateOptions<SqliteStorageOptions>
{
    public const int MinBatchSize = 1;

    public const int MaxBatchSize = 10_000;

    public ValidateOptionsResult Validate(string? name, SqliteStorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path))
            failures.Add($"{SqliteStorageOptions.SectionName}:{nameof(options.Path)} must name the data folder.");
        if (string.IsNullOrWhiteSpace(options.FileName) || options.FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            failures.Add($"{SqliteStorageOptions.SectionName}:{nameof(options.FileName)} must be a file name without a folder, not '{options.FileName}'.");
        if (!Enum.IsDefined(options.Synchronous))
            failures.Add($"{SqliteStorageOptions.SectionName}:{nameof(options.Synchronous)} must be one of {string.Join(", ", Enum.GetNames<SqliteSynchronous>())}.");
        if (options.MaxBatchSize is < MinBatchSize or > MaxBatchSize)
            failures.Add($"{SqliteStorageOptions.SectionName}:{nameof(options.MaxBatchSize)} must be between {MinBatchSize} and {MaxBatchSize}, not {options.MaxBatchSize}.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
