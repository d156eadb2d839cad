using AdWallet.Grains.Users;
using AdWallet.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace AdWallet.Grains.Channels.CustomerFiles;

/// <summary>
/// A customer file: its upload is stored in chunks; once submitted it is read a batch at a time, each batch's numbers
/// added to the file's phone set and the counts checkpointed, until the file ends. Each batch is one grain call the
/// file sends itself, so reads of the file's progress are answered between batches.
/// </summary>
/// <remarks>
/// A reminder stays registered while the file is uploading or processing: after a crash it wakes the file, which
/// resumes from its last checkpoint. Adding numbers to the phone set is idempotent, so a batch repeated after a crash
/// changes nothing there, and the counts come only from the checkpoint and the rows read after it.
/// </remarks>
public sealed partial class CustomerFileGrain(
    [PersistentState("customerFile")] IPersistentState<CustomerFileState> file,
    IKeySetStorage keySets,
    IBlobStorage blobs,
    IOptions<CustomerFileOptions> options,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<CustomerFileGrain> logger) : Grain, ICustomerFileGrain, IRemindable
{
    public const string WatchReminder = "customer-file";

    public const string CompletedNotificationKind = "customer_file_completed";

    public const string FailedNotificationKind = "customer_file_failed";

    private readonly CustomerFileOptions _options = options.Value;
    private CustomerFileScan? _scan;
    private bool _continuationSent;

    private CustomerFileState State => file.State;

    private string Id => this.GetPrimaryKeyString();

    private string PhoneSet => ChannelSets.CustomerFilePhones(Id);

    private string Upload => ChannelSets.CustomerFileUpload(Id);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Status == CustomerFileStatuses.Processing) SendContinuation();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        CloseScan();
        return Task.CompletedTask;
    }

    public async Task AppendChunk(Caller caller, string channelId, int index, byte[] data)
    {
        if (index == 0 && State.Status == "")
        {
            // Get refuses anyone who is not an admin of the channel, as if it did not exist.
            var channel = await GrainFactory.GetGrain<IChannelGrain>(channelId).Get(caller);
            State.Status = CustomerFileStatuses.Uploading;
            State.ChannelId = channelId;
            State.ChannelMasterId = channel.MasterId;
            State.UploadedBy = caller.UserId;
            State.CreatedAt = time.GetUtcNow();
            await file.WriteStateAsync();
            var period = reminderOptions.Value.AtLeastMinimum(_options.WatchInterval);
            await this.RegisterOrUpdateReminder(WatchReminder, period, period);
        }
        RequireUploading(caller, channelId);
        await blobs.WriteChunkAsync(Upload, index, data);
    }

    public async Task<CustomerFileView> Submit(Caller caller, string channelId, CustomerFileUpload upload)
    {
        // A submit repeated after its answer was lost finds the file past uploading.
        if (State.Status is CustomerFileStatuses.Processing or CustomerFileStatuses.Completed or CustomerFileStatuses.Failed
            && State.UploadedBy == caller.UserId && State.ChannelId == channelId)
            return View();
        RequireUploading(caller, channelId);
        State.FileName = upload.FileName;
        State.Encoding = upload.Encoding;
        State.Bytes = upload.Bytes;
        State.Chunks = upload.Chunks;
        await keySets.AddAsync(ChannelSets.CustomerFiles(channelId), [Id]);
        State.Status = CustomerFileStatuses.Processing;
        await file.WriteStateAsync();
        SendContinuation();
        return View();
    }

    public async Task Discard(Caller caller)
    {
        if (State.Status == "") return;
        RequireUploading(caller, State.ChannelId);
        await blobs.DeleteAsync(Upload);
        await file.ClearStateAsync();
        file.State = new CustomerFileState();
        await UnregisterWatchAsync();
    }

    public async Task<CustomerFileView> Get(Caller caller, string channelId)
    {
        if (State.Status is "" or CustomerFileStatuses.Uploading || State.ChannelId != channelId
            || !await GrainFactory.GetGrain<IChannelGrain>(channelId).IsAdmin(caller.UserId))
            throw DomainException.NotFound($"Customer file {Id}");
        return View();
    }

    public async Task ContinueProcessing()
    {
        _continuationSent = false;
        if (State.Status != CustomerFileStatuses.Processing) return;
        try
        {
            if (_scan is null)
            {
                _scan = new CustomerFileScan(new BlobReadStream(blobs, Upload, State.Chunks), State.Encoding);
                await _scan.SkipAsync(State.Tally.RecordsRead);
            }
            var tally = State.Tally;
            // One row past the limit is enough to know the file is too long.
            var (phones, ended) = await _scan.ReadBatchAsync(tally, (int)Math.Min(_options.BatchRows, _options.MaxRows - tally.Attempted + 1));
            if (tally.Attempted > _options.MaxRows)
            {
                await FailAsync(CustomerFileFailures.TooManyRows);
                return;
            }
            await keySets.AddAsync(PhoneSet, phones);
            if (ended)
            {
                await CompleteAsync();
                return;
            }
            State.FailedAttempts = 0;
            await file.WriteStateAsync();
            SendContinuation();
        }
        catch (Exception exception)
        {
            LogProcessingFailed(logger, exception, Id, State.Tally.RecordsRead);
            CloseScan();
            await CountFailedAttemptAsync();
            // Start again from the checkpoint on the next activation (the reminder brings one).
            DeactivateOnIdle();
        }
    }

    /// <summary>
    /// Counts a batch that failed without progress since the last checkpoint. A file that keeps failing (a chunk gone
    /// from storage, say) ends <c>failed</c> with <c>processing_failed</c> after <c>CustomerFiles:MaxProcessingAttempts</c>
    /// such batches in a row, rather than being retried by its reminder for ever.
    /// </summary>
    private async Task CountFailedAttemptAsync()
    {
        try
        {
            // The counts in memory may be ahead of what is stored: only the stored checkpoint, with the failure counted, is written.
            await file.ReadStateAsync();
            if (State.Status != CustomerFileStatuses.Processing) return;
            State.FailedAttempts++;
            if (State.FailedAttempts >= _options.MaxProcessingAttempts)
                await FailAsync(CustomerFileFailures.ProcessingFailed);
            else
                await file.WriteStateAsync();
        }
        catch (Exception exception)
        {
            // Storage itself failing is not the file's fault: this attempt is not counted.
            LogAttemptNotCounted(logger, exception, Id);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WatchReminder) return;
        switch (State.Status)
        {
            case CustomerFileStatuses.Processing:
                SendContinuation();
                break;
            case CustomerFileStatuses.Uploading when time.GetUtcNow() - State.CreatedAt >= _options.AbandonedUploadAfter:
                LogUploadAbandoned(logger, Id, State.ChannelId);
                await blobs.DeleteAsync(Upload);
                await file.ClearStateAsync();
                file.State = new CustomerFileState();
                await UnregisterWatchAsync();
                break;
            case CustomerFileStatuses.Uploading:
                break;
            default:
                await UnregisterWatchAsync();
                break;
        }
    }

    private async Task CompleteAsync()
    {
        State.DistinctRegistered = await keySets.CountAsync(PhoneSet);
        State.Friends = await keySets.CountCommonAsync(PhoneSet, ChannelSets.Friends(State.ChannelId));
        State.Status = CustomerFileStatuses.Completed;
        State.CompletedAt = time.GetUtcNow();
        await file.WriteStateAsync();
        CloseScan();
        LogCompleted(logger, Id, State.Tally.Attempted, State.Tally.Registered, State.Friends);
        await blobs.DeleteAsync(Upload);
        var tally = State.Tally;
        await NotifyAsync(new Notification(
            $"customer-file:{Id}:completed",
            CompletedNotificationKind,
            "Customer file ready",
            $"Customer file {State.FileName ?? Id}: {tally.Attempted} rows attempted, {tally.Registered} registered, {State.Friends} friends."));
        await UnregisterWatchAsync();
    }

    /// <summary>Tells the uploader and the channel master; the notification's id makes a repeated notice one notice.</summary>
    private async Task NotifyAsync(Notification notification)
    {
        foreach (var userId in new[] { State.UploadedBy, State.ChannelMasterId }.Distinct())
            await GrainFactory.GetGrain<IUserGrain>(userId).Notify(notification);
    }

    private async Task FailAsync(string failureCode)
    {
        CloseScan();
        // A failed file keeps its counts so far but none of its numbers: no group can be made of it.
        await keySets.DeleteAsync(PhoneSet);
        State.Status = CustomerFileStatuses.Failed;
        State.FailureCode = failureCode;
        State.CompletedAt = time.GetUtcNow();
        await file.WriteStateAsync();
        LogFailed(logger, Id, failureCode);
        await blobs.DeleteAsync(Upload);
        await NotifyAsync(new Notification(
            $"customer-file:{Id}:failed",
            FailedNotificationKind,
            "Customer file failed",
            $"Customer file {State.FileName ?? Id} could not be processed ({failureCode}); upload it again."));
        await UnregisterWatchAsync();
    }

    private void SendContinuation()
    {
        if (_continuationSent) return;
        _continuationSent = true;
        this.AsReference<ICustomerFileGrain>().ContinueProcessing().Ignore();
    }

    private void RequireUploading(Caller caller, string channelId)
    {
        if (State.Status != CustomerFileStatuses.Uploading || State.UploadedBy != caller.UserId || State.ChannelId != channelId)
            throw DomainException.NotFound($"Customer file upload {Id}");
    }

    private async Task UnregisterWatchAsync()
    {
        if (await this.GetReminder(WatchReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private void CloseScan()
    {
        _scan?.Dispose();
        _scan = null;
    }

    private CustomerFileView View()
    {
        var tally = State.Tally;
        var progress = State.Status switch
        {
            CustomerFileStatuses.Completed => 1.0,
            _ when State.Bytes > 0 => Math.Min(0.99, (double)tally.BytesRead / State.Bytes),
            _ => 0.0,
        };
        return new CustomerFileView(Id, State.ChannelId, State.FileName, State.Status, Math.Round(progress, 4),
            tally.Attempted, tally.Registered, State.Friends, State.DistinctRegistered, tally.RecordsRead, State.FailureCode,
            new Dictionary<string, long>(tally.Rejected), [.. tally.Sample], State.UploadedBy, State.Bytes, State.CreatedAt, State.CompletedAt);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing customer file {FileId} failed after {RecordsRead} checkpointed records; it resumes from the checkpoint.")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, string fileId, long recordsRead);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Customer file {FileId}: a failed batch could not be counted.")]
    private static partial void LogAttemptNotCounted(ILogger logger, Exception exception, string fileId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer file {FileId} completed: {Attempted} rows attempted, {Registered} registered, {Friends} friends.")]
    private static partial void LogCompleted(ILogger logger, string fileId, long attempted, long registered, long friends);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer file {FileId} failed: {FailureCode}.")]
    private static partial void LogFailed(ILogger logger, string fileId, string failureCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discarded customer file upload {FileId} of channel {ChannelId}: never submitted.")]
    private static partial void LogUploadAbandoned(ILogger logger, string fileId, string channelId);
}
