using Microsoft.Extensions.Options;

namespace AdWallet.Grains.Channels.CustomerFiles;

/// <summary>Customer files. Configuration section <c>CustomerFiles</c>.</summary>
public sealed class CustomerFileOptions
{
    public const string SectionName = "CustomerFiles";

    public const long DefaultMaxBytes = 100L * 1024 * 1024;

    public const long DefaultMaxRows = 1_000_000;

    public const int DefaultBatchRows = 10_000;

    public const int DefaultChunkBytes = 256 * 1024;

    public static readonly TimeSpan DefaultAbandonedUploadAfter = TimeSpan.FromHours(1);

    public static readonly TimeSpan DefaultWatchInterval = TimeSpan.FromMinutes(1);

    public const int DefaultMaxProcessingAttempts = 5;

    /// <summary>The largest upload, in bytes; a larger body is refused with <c>413 file_too_large</c>.</summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>The most data rows a file may have; a longer file ends <c>failed</c> with <c>too_many_rows</c>.</summary>
    public long MaxRows { get; set; } = DefaultMaxRows;

    /// <summary>Rows read, stored and checkpointed together: a crash repeats at most one batch.</summary>
    public int BatchRows { get; set; } = DefaultBatchRows;

    /// <summary>The size of the chunks an upload is stored in.</summary>
    public int ChunkBytes { get; set; } = DefaultChunkBytes;

    /// <summary>An upload not submitted within this time (its uploader went away) is discarded.</summary>
    public TimeSpan AbandonedUploadAfter { get; set; } = DefaultAbandonedUploadAfter;

    /// <summary>
    /// How often a file that is uploading or processing is woken by its reminder: the longest a file waits to resume
    /// after a crash when nobody asks for it. A reminder's period: raised to <c>Reminders:MinimumReminderPeriod</c> if shorter.
    /// </summary>
    public TimeSpan WatchInterval { get; set; } = DefaultWatchInterval;

    /// <summary>
    /// Batches that may fail in a row, without progress, before the file ends <c>failed</c> with
    /// <c>processing_failed</c>; each is retried on the next activation (at the latest the next reminder tick).
    /// </summary>
    public int MaxProcessingAttempts { get; set; } = DefaultMaxProcessingAttempts;
}

public sealed class CustomerFileOptionsValidator : IValidateOptions<CustomerFileOptions>
{
    public ValidateOptionsResult Validate(string? name, CustomerFileOptions options)
    {
        var failures = new List<string>();
        var section = CustomerFileOptions.SectionName;
        if (options.MaxBytes < 1) failures.Add($"{section}:{nameof(options.MaxBytes)} must be 1 or more.");
        if (options.MaxRows < 1) failures.Add($"{section}:{nameof(options.MaxRows)} must be 1 or more.");
        if (options.BatchRows is < 1 or > 100_000) failures.Add($"{section}:{nameof(options.BatchRows)} must be between 1 and 100,000.");
        if (options.ChunkBytes is < 1024 or > 4 * 1024 * 1024) failures.Add($"{section}:{nameof(options.ChunkBytes)} must be between 1 KB and 4 MB.");
        if (options.AbandonedUploadAfter <= TimeSpan.Zero) failures.Add($"{section}:{nameof(options.AbandonedUploadAfter)} must be positive.");
        if (options.WatchInterval <= TimeSpan.Zero) failures.Add($"{section}:{nameof(options.WatchInterval)} must be positive.");
        if (options.MaxProcessingAttempts is < 1 or > 1_000) failures.Add($"{section}:{nameof(options.MaxProcessingAttempts)} must be between 1 and 1,000.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
