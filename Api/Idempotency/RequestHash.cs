using System.Security.Cryptography;
using System.Text.Json;
using AdWallet.Api.Auth;

namespace AdWallet.Api.Idempotency;

/// <summary>
/// Lowercase hex HMAC-SHA256 of the canonical JSON of an operation and its validated command. The command, not the
/// raw body, is hashed: key order, whitespace and ignored fields of the body do not make two requests different.
/// </summary>
/// <remarks>
/// The hash is kept with the wallet for at least a day and a command may hold a card number; a keyed hash (with a key
/// derived from the signing key) cannot be reversed by trying every card number, as a plain SHA-256 could.
/// </remarks>
public sealed class RequestHash
{
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web) { WriteIndented = false };
    private static readonly byte[] KeyPurpose = "adwallet/idempotency-request-hash"u8.ToArray();

    private readonly byte[] _key;

    public RequestHash(SigningKey signingKey) =>
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, signingKey.Bytes, outputLength: 32, info: KeyPurpose);

    public string Compute<TCommand>(string operation, TCommand command)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new HashedRequest<TCommand>(operation, command), Canonical);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, json));
    }

    private sealed record HashedRequest<TCommand>(string Operation, TCommand Command);
}
