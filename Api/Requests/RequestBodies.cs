namespace AdWallet.Api.Requests;

// The bodies that have no grain command of the same shape. They document the contract in OpenAPI; the parsers in
// this folder read bodies into grain commands directly.

public sealed record UserIdBody(string UserId);

/// <param name="Type"><c>general</c> or <c>business</c>; absent: <c>business</c>.</param>
public sealed record CreateChannelBody(string Name, string? Type = null);

public sealed record ConnectWalletBody(string WalletId);

public sealed record AddFriendsBody(IReadOnlyList<string> Phones);

public sealed record CreateFriendGroupBody(string Name, string CustomerFileId);
