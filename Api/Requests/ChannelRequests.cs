using AdWallet.Grains.Channels;

namespace AdWallet.Api.Requests;

public static class ChannelRequests
{
    public const int MaxPhonesPerRequest = 1_000;

    /// <summary>The channel's name and type; an absent type is left to the grain (business).</summary>
    public static CreateChannelBody CreateChannel(FieldReader body)
    {
        var channel = new CreateChannelBody(body.RequiredString("name", TextRule.Name), body.OptionalEnum("type", ChannelTypes.All));
        body.ThrowIfInvalid();
        return channel;
    }

    public static string ConnectWallet(FieldReader body)
    {
        var walletId = body.RequiredString("walletId", TextRule.ResourceId);
        body.ThrowIfInvalid();
        return walletId;
    }

    public static IReadOnlyList<string> AddFriends(FieldReader body)
    {
        var phones = body.RequiredStringArray("phones", MaxPhonesPerRequest, TextRule.Phone);
        body.ThrowIfInvalid();
        return phones;
    }

    /// <summary>The group's name and the customer file it is made of.</summary>
    public static (string Name, string CustomerFileId) CreateFriendGroup(FieldReader body)
    {
        var name = body.RequiredString("name", TextRule.Name);
        var customerFileId = body.RequiredString("customerFileId", TextRule.ResourceId);
        body.ThrowIfInvalid();
        return (name, customerFileId);
    }
}
