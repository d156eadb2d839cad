namespace AdWallet.Grains.Channels.CustomerFiles;

public sealed class CustomerFileState
{
    /// <summary>Empty while there is no file; otherwise a <see cref="CustomerFileStatuses"/> value.</summary>
    public string Status { get; set; } = "";

    public string ChannelId { get; set; } = "";

    public string ChannelMasterId { get; set; } = "";

    public string UploadedBy { get; set; } = "";

    public string? FileName { get; set; }

    public string Encoding { get; set; } = CustomerFileEncodings.Utf8;

    public long Bytes { get; set; }

    public int Chunks { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? FailureCode { get; set; }

    public CustomerFileTally Tally { get; set; } = new();

    public long DistinctRegistered { get; set; }

    public long Friends { get; set; }

    /// <summary>Batches that failed in a row since the last checkpoint; the file fails at <c>CustomerFiles:MaxProcessingAttempts</c>.</summary>
    public int FailedAttempts { get; set; }
}

/// <summary>Why a customer file failed.</summary>
public static class CustomerFileFailures
{
    public const string TooManyRows = "too_many_rows";

    /// <summary>Processing failed <c>CustomerFiles:MaxProcessingAttempts</c> times in a row (such as a chunk of the upload gone from storage).</summary>
    public const string ProcessingFailed = "processing_failed";
}
