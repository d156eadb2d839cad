using Orleans;
using Orleans.Concurrency;

namespace AdWallet.Grains.Channels;

/// <summary>
/// A customer file a channel admin uploaded: its bytes arrive in chunks, then it is read in the background (seed 001's
/// 취합), its rows counted and its phone numbers kept as a set, from which friend groups are made. Only admins of its
/// channel see it.
/// </summary>
[Alias("adwallet.ICustomerFileGrain")]
public interface ICustomerFileGrain : IGrainWithStringKey
{
    /// <summary>Stores chunk <paramref name="index"/> of the upload. The first chunk (index 0) starts the file and checks that the caller is an admin of the channel.</summary>
    [Alias("AppendChunk")]
    Task AppendChunk(Caller caller, string channelId, int index, byte[] data);

    /// <summary>Ends the upload: the file is listed on its channel and processing starts.</summary>
    [Alias("Submit")]
    Task<CustomerFileView> Submit(Caller caller, string channelId, CustomerFileUpload upload);

    /// <summary>Forgets an upload that was refused before it was submitted: its chunks and its state go.</summary>
    [Alias("Discard")]
    Task Discard(Caller caller);

    [Alias("Get")]
    Task<CustomerFileView> Get(Caller caller, string channelId);

    /// <summary>Reads the next batch of rows, checkpoints, and asks for the next; sent by the file to itself.</summary>
    [OneWay]
    [Alias("ContinueProcessing")]
    Task ContinueProcessing();
}

/// <summary>What the uploader sends once every chunk is stored.</summary>
/// <param name="Encoding">The text encoding the bytes decode with: <see cref="CustomerFileEncodings"/>.</param>
[GenerateSerializer, Alias("adwallet.CustomerFileUpload")]
public sealed record CustomerFileUpload(
    [property: Id(0)] string? FileName,
    [property: Id(1)] string Encoding,
    [property: Id(2)] long Bytes,
    [property: Id(3)] int Chunks);

public static class CustomerFileEncodings
{
    public const string Utf8 = "utf-8";

    /// <summary>Korean Windows' code page (a superset of EUC-KR), in which Korean spreadsheets save CSV.</summary>
    public const string Cp949 = "cp949";
}

public static class CustomerFileStatuses
{
    public const string Uploading = "uploading";
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>A row that was not registered: its line in the file, its value (cut to 64 characters) and why.</summary>
[GenerateSerializer, Alias("adwallet.RejectedRow")]
public sealed record RejectedRow([property: Id(0)] long Line, [property: Id(1)] string Value, [property: Id(2)] string Reason);

/// <param name="Attempted">Every data row read (seed 001's 등록 시도수).</param>
/// <param name="Registered">Rows whose value follows the rules (등록 성공수), duplicates included.</param>
/// <param name="Friends">Distinct registered numbers that are friends of the channel (친구수), once processing completed.</param>
/// <param name="DistinctRegistered">Distinct registered numbers.</param>
/// <param name="Rejected">Rows not registered, by reason.</param>
/// <param name="RejectedSample">The first rejected rows, at most 100.</param>
[GenerateSerializer, Alias("adwallet.CustomerFileView")]
public sealed record CustomerFileView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ChannelId,
    [property: Id(2)] string? FileName,
    [property: Id(3)] string Status,
    [property: Id(4)] double Progress,
    [property: Id(5)] long Attempted,
    [property: Id(6)] long Registered,
    [property: Id(7)] long Friends,
    [property: Id(8)] long DistinctRegistered,
    [property: Id(9)] long RowsRead,
    [property: Id(10)] string? FailureCode,
    [property: Id(11)] IReadOnlyDictionary<string, long> Rejected,
    [property: Id(12)] IReadOnlyList<RejectedRow> RejectedSample,
    [property: Id(13)] string UploadedBy,
    [property: Id(14)] long Bytes,
    [property: Id(15)] DateTimeOffset CreatedAt,
    [property: Id(16)] DateTimeOffset? CompletedAt);
