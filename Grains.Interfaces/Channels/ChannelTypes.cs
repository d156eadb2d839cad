namespace AdWallet.Grains.Channels;

/// <summary>What a channel is run as: a business wallet can be created on or connected to a business channel only.</summary>
public static class ChannelTypes
{
    public const string General = "general";
    public const string Business = "business";

    /// <summary>
    /// Channels created before channels had a type, and requests of clients written against the first contract, are
    /// business channels: nothing connected to them before becomes illegal.
    /// </summary>
    public const string Default = Business;

    public static readonly IReadOnlyList<string> All = [General, Business];
}
