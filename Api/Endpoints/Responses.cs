namespace AdWallet.Api.Endpoints;

// Answers that are not a grain's view as it stands.

/// <summary><c>POST /v1/me/identity-verification</c>.</summary>
public sealed record IdentityVerificationResult(bool IdentityVerified);

/// <summary><c>POST /v1/channels/{channelId}/friends</c>: how many friends the channel has now.</summary>
public sealed record FriendsResult(int Friends);
