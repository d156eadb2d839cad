using AdWallet.Api.Idempotency;
using AdWallet.Grains.Wallets;

namespace AdWallet.Api.Tests;

public sealed class IdempotencyTests
{
    private static readonly byte[] SigningKeyBytes = [.. Enumerable.Range(1, 64).Select(i => (byte)i)];

    private static readonly RequestHash Hash = new(new Auth.SigningKey(SigningKeyBytes, "test"));

    [Theory]
    [InlineData("k", true)]
    [InlineData("a key with spaces inside", true)]
    [InlineData("!~\"'<>{}", true)]
    [InlineData("", false)]
    [InlineData(" k", false)]
    [InlineData("k ", false)]
    [InlineData("k\u007f", false)]
    [InlineData("k\té", false)]
    [InlineData("ключ", false)]
    public void Keys_are_printable_ascii(string key, bool valid) => Assert.Equal(valid, IdempotencyHeaders.IsValid(key));

    [Fact]
    public void Keys_have_at_most_255_characters()
    {
        Assert.True(IdempotencyHeaders.IsValid(new string('k', 255)));
        Assert.False(IdempotencyHeaders.IsValid(new string('k', 256)));
    }

    [Fact]
    public void The_same_command_hashes_the_same()
    {
        var first = Hash.Compute("charge", new ChargeCommand(10_000, "card", true, CardNumber: "4242424242424242"));
        var second = Hash.Compute("charge", new ChargeCommand(10_000, "card", true, CardNumber: "4242424242424242"));

        Assert.Equal(first, second);
        Assert.Matches("^[0-9a-f]{64}$", first);
    }

    [Fact]
    public void Another_command_or_operation_hashes_differently()
    {
        var charge = Hash.Compute("charge", new ChargeCommand(10_000, "card", true, CardNumber: "4242424242424242"));

        Assert.NotEqual(charge, Hash.Compute("charge", new ChargeCommand(20_000, "card", true, CardNumber: "4242424242424242")));
        Assert.NotEqual(charge, Hash.Compute("charge", new ChargeCommand(10_000, "card", true, CardId: "4242424242424242")));
        Assert.NotEqual(Hash.Compute("refund", new RefundCommand("chg_1")), Hash.Compute("other", new RefundCommand("chg_1")));
    }

    [Fact]
    public void The_hash_is_a_keyed_hash_of_canonical_json()
    {
        // Pinned: a change here would turn every retry in flight during an upgrade into idempotency_key_reused.
        var key = System.Security.Cryptography.HKDF.DeriveKey(
            System.Security.Cryptography.HashAlgorithmName.SHA256, SigningKeyBytes, 32, info: "adwallet/idempotency-request-hash"u8.ToArray());
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key,
                """{"operation":"refund","command":{"chargeId":"chg_1","amount":500}}"""u8)),
            Hash.Compute("refund", new RefundCommand("chg_1", 500)));
    }

    [Fact]
    public void A_hash_cannot_be_recomputed_without_the_key()
    {
        var other = new RequestHash(new Auth.SigningKey([.. SigningKeyBytes.Reverse()], "other"));
        var command = new ChargeCommand(10_000, "card", true, CardNumber: "4242424242424242");

        Assert.NotEqual(Hash.Compute("charge", command), other.Compute("charge", command));
        Assert.NotEqual(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                """{"operation":"charge","command":{"amount":10000,"method":"card","termsAccepted":true,"cardId":null,"cardNumber":"4242424242424242"}}"""u8)),
            Hash.Compute("charge", command));
    }
}
