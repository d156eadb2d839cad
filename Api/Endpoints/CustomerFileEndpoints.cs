using AdWallet.Api.Auth;
using AdWallet.Api.Problems;
using AdWallet.Api.Requests;
using AdWallet.Grains;
using AdWallet.Grains.Channels;
using AdWallet.Grains.Channels.CustomerFiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Orleans;

namespace AdWallet.Api.Endpoints;

/// <summary>
/// <c>/v1/channels/{channelId}/customer-files</c> and <c>/friend-groups</c>: a channel admin uploads a CSV of
/// customers' phone numbers, which is processed in the background, and makes friend groups of processed files.
/// </summary>
internal static class CustomerFileEndpoints
{
    public static void MapCustomerFileEndpoints(this RouteGroupBuilder v1)
    {
        var channel = v1.MapGroup("/channels/{channelId:id}").WithTags("Customer files and friend groups");

        channel.MapPost("/customer-files", Upload)
            .WithName("UploadCustomerFile")
            .WithSummary("Upload a CSV of customers' phone numbers (text/csv, or multipart/form-data with one file); processed in the background")
            .Accepts<string>("text/csv", "multipart/form-data")
            .OnResource()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        channel.MapGet("/customer-files", ListFiles)
            .WithName("ListCustomerFiles")
            .WithSummary("The channel's customer files, newest first")
            .OnResource()
            .Paged();

        channel.MapGet("/customer-files/{fileId:id}", GetFile)
            .WithName("GetCustomerFile")
            .WithSummary("A customer file: status, progress, counts and rejected rows")
            .OnResource();

        channel.MapPost("/friend-groups", CreateGroup)
            .WithName("CreateFriendGroup")
            .WithSummary("Make a friend group of a completed customer file")
            .AcceptsJson<CreateFriendGroupBody>()
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);

        channel.MapGet("/friend-groups", ListGroups)
            .WithName("ListFriendGroups")
            .WithSummary("The channel's friend groups, newest first")
            .OnResource()
            .Paged();

        channel.MapDelete("/friend-groups/{groupId:id}", DeleteGroup)
            .WithName("DeleteFriendGroup")
            .WithSummary("Delete a friend group (its customer file stays)")
            .OnResource();
    }

    private static async Task<Accepted<CustomerFileView>> Upload(string channelId, HttpContext http, IGrainFactory grains, IOptions<CustomerFileOptions> options)
    {
        var caller = http.User.ToCaller();
        var limits = options.Value;
        // Outsiders learn nothing, not even whether their file would have been accepted.
        await grains.GetGrain<IChannelGrain>(channelId).Get(caller);
        var body = await CustomerFileBody.OpenAsync(http.Request, limits.MaxBytes);
        var fileId = "cf_" + Guid.CreateVersion7().ToString("N");
        var file = grains.GetGrain<ICustomerFileGrain>(fileId);
        var check = new CustomerFileEncodingCheck(body.Charset);
        var buffer = new byte[limits.ChunkBytes];
        long bytes = 0;
        var chunks = 0;
        try
        {
            int length;
            while ((length = await FillAsync(body.Content, buffer, http.RequestAborted)) > 0)
            {
                bytes += length;
                if (bytes > limits.MaxBytes) throw new ApiProblemException(ApiProblems.FileTooLarge(limits.MaxBytes));
                check.Add(buffer.AsSpan(0, length));
                if (check.IsBinary) throw new ApiProblemException(ApiProblems.NotCsv());
                await file.AppendChunk(caller, channelId, chunks, buffer[..length]);
                chunks++;
            }
            check.Complete();
            if (check.IsBinary) throw new ApiProblemException(ApiProblems.NotCsv());
            var encoding = check.Encoding ?? throw new ApiProblemException(ApiProblems.UndecodableFile());
            if (!check.HasText) throw new ApiProblemException(ApiProblems.EmptyFile());
            var view = await file.Submit(caller, channelId, new CustomerFileUpload(body.FileName, encoding, bytes, chunks));
            return TypedResults.Accepted($"/v1/channels/{channelId}/customer-files/{fileId}", view);
        }
        catch when (chunks > 0)
        {
            // A refused upload leaves nothing behind.
            await file.Discard(caller);
            throw;
        }
    }

    /// <summary>Reads until the buffer is full or the stream ends, so that every chunk but the last is full.</summary>
    private static async Task<int> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0) filled += read;
        return filled;
    }

    private static async Task<Ok<Page<CustomerFileView>>> ListFiles(string channelId, HttpContext http, IGrainFactory grains)
    {
        var query = new QueryReader(http.Request.Query);
        var page = query.Page();
        query.ThrowIfInvalid();
        return TypedResults.Ok(await grains.GetGrain<IChannelGrain>(channelId).ListCustomerFiles(http.User.ToCaller(), page));
    }

    private static async Task<Ok<CustomerFileView>> GetFile(string channelId, string fileId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICustomerFileGrain>(fileId).Get(http.User.ToCaller(), channelId));

    private static async Task<Created<FriendGroupView>> CreateGroup(string channelId, HttpContext http, IGrainFactory grains)
    {
        var (name, customerFileId) = ChannelRequests.CreateFriendGroup(await JsonBody.ReadAsync(http.Request));
        var group = await grains.GetGrain<IChannelGrain>(channelId).CreateFriendGroup(http.User.ToCaller(), name, customerFileId);
        return TypedResults.Created($"/v1/channels/{channelId}/friend-groups/{group.Id}", group);
    }

    private static async Task<Ok<Page<FriendGroupView>>> ListGroups(string channelId, HttpContext http, IGrainFactory grains)
    {
        var query = new QueryReader(http.Request.Query);
        var page = query.Page();
        query.ThrowIfInvalid();
        return TypedResults.Ok(await grains.GetGrain<IChannelGrain>(channelId).ListFriendGroups(http.User.ToCaller(), page));
    }

    private static async Task<NoContent> DeleteGroup(string channelId, string groupId, HttpContext http, IGrainFactory grains)
    {
        await grains.GetGrain<IChannelGrain>(channelId).DeleteFriendGroup(http.User.ToCaller(), groupId);
        return TypedResults.NoContent();
    }
}
