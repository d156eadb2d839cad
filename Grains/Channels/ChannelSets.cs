namespace AdWallet.Grains.Channels;

/// <summary>The names of a channel's large sets and blobs in storage (<see cref="AdWallet.Persistence.IKeySetStorage"/>, <see cref="AdWallet.Persistence.IBlobStorage"/>).</summary>
internal static class ChannelSets
{
    /// <summary>The phone numbers of the users who added the channel as a friend.</summary>
    public static string Friends(string channelId) => $"channel-friends:{channelId}";

    /// <summary>The ids of the channel's customer files (time-ordered, so newest last).</summary>
    public static string CustomerFiles(string channelId) => $"channel-files:{channelId}";

    /// <summary>The distinct registered phone numbers of a customer file.</summary>
    public static string CustomerFilePhones(string fileId) => $"customer-file-phones:{fileId}";

    /// <summary>The uploaded bytes of a customer file, until it has been processed.</summary>
    public static string CustomerFileUpload(string fileId) => $"customer-file-upload:{fileId}";
}
