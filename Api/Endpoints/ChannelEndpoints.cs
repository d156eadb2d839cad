using AdWallet.Api.Auth;
using AdWallet.Api.Requests;
using AdWallet.Grains.Channels;
using Orleans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdWallet.Api.Endpoints;

/// <summary><c>/v1/channels</c>: channels, their admins, the wallet connected to them and their friends.</summary>
internal static class ChannelEndpoints
{
    public static void MapChannelEndpoints(this RouteGroupBuilder v1)
    {
        var channels = v1.MapGroup("/channels").WithTags("Channels");

        channels.MapPost("", Create)
            .WithName("CreateChannel")
            .WithSummary("Create a general or business channel (default business); the caller becomes its master")
            .AcceptsJson<CreateChannelBody>();

        channels.MapGet("/{channelId:id}", Get)
            .WithName("GetChannel")
            .WithSummary("A channel")
            .OnResource();

        channels.MapPost("/{channelId:id}/admins", AddAdmin)
            .WithName("AddChannelAdmin")
            .WithSummary("Add an admin (channel master only)")
            .AcceptsJson<UserIdBody>()
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);

        channels.MapPut("/{channelId:id}/wallet", ConnectWallet)
            .WithName("ConnectChannelWallet")
            .WithSummary("Connect a wallet to the channel (channel master who is the wallet's master; a business wallet to a business channel only)")
            .AcceptsJson<ConnectWalletBody>()
            .OnResource()
            .ProducesProblem(StatusCodes.Status409Conflict);

        channels.MapPost("/{channelId:id}/friends", AddFriends)
            .WithName("AddChannelFriends")
            .WithSummary("Record users who added the channel as a friend, by phone (at most 1,000 a request)")
            .AcceptsJson<AddFriendsBody>()
            .OnResource();
    }

    private static async Task<Created<ChannelView>> Create(HttpContext http, IGrainFactory grains)
    {
        var body = ChannelRequests.CreateChannel(await JsonBody.ReadAsync(http.Request));
        var channelId = "chn_" + Guid.NewGuid().ToString("N");
        var channel = await grains.GetGrain<IChannelGrain>(channelId).Create(http.User.ToCaller(), body.Name, body.Type);
        return TypedResults.Created($"/v1/channels/{channel.Id}", channel);
    }

    private static async Task<Ok<ChannelView>> Get(string channelId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await Channel(grains, channelId).Get(http.User.ToCaller()));

    private static async Task<Ok<ChannelView>> AddAdmin(string channelId, HttpContext http, IGrainFactory grains)
    {
        var userId = UserRequests.UserId(await JsonBody.ReadAsync(http.Request));
        return TypedResults.Ok(await Channel(grains, channelId).AddAdmin(http.User.ToCaller(), userId));
    }

    private static async Task<Ok<ChannelView>> ConnectWallet(string channelId, HttpContext http, IGrainFactory grains)
    {
        var walletId = ChannelRequests.ConnectWallet(await JsonBody.ReadAsync(http.Request));
        return TypedResults.Ok(await Channel(grains, channelId).ConnectWallet(http.User.ToCaller(), walletId));
    }

    private static async Task<Ok<FriendsResult>> AddFriends(string channelId, HttpContext http, IGrainFactory grains)
    {
        var phones = ChannelRequests.AddFriends(await JsonBody.ReadAsync(http.Request));
        return TypedResults.Ok(new FriendsResult(await Channel(grains, channelId).AddFriends(http.User.ToCaller(), phones)));
    }

    private static IChannelGrain Channel(IGrainFactory grains, string channelId) => grains.GetGrain<IChannelGrain>(channelId);
}
