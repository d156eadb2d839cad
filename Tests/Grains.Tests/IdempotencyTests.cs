using AdWallet.Grains.Wallets;
using static AdWallet.Grains.Tests.Requests;

namespace AdWallet.Grains.Tests;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task A_replay_returns_the_first_answer_and_charges_nothing()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var key = Key();

        var first = await wallet.Charge(As(Platform.Master), CardCharge(10_000), key);
        await wallet.Charge(As(Platform.Master), CardCharge(5_000), Key());
        var replay = await wallet.Charge(As(Platform.Master), CardCharge(10_000), key);

        Assert.False(first.Replayed);
        Assert.True(replay.Replayed);
        Assert.Equal(first.Value, replay.Value);
        Assert.Equal(15_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(2, await platform.Gateway.CaptureCountAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_replay_after_a_silo_restart_returns_the_first_answer(bool graceful)
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var key = Key();
        var first = await wallet.Charge(As(Platform.Master), CardCharge(10_000), key);

        await platform.RestartAsync(graceful);
        var replay = await platform.Wallet(wallet.GetPrimaryKeyString()).Charge(As(Platform.Master), CardCharge(10_000), key);

        Assert.True(replay.Replayed);
        Assert.Equal(first.Value, replay.Value);
        Assert.Equal(1, await platform.Gateway.CaptureCountAsync());
    }

    [Fact]
    public async Task The_same_key_with_another_request_is_refused()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key("k", "hash-a"));

        var error = await Assert.ThrowsAsync<DomainException>(() => wallet.Charge(As(Platform.Master), CardCharge(20_000), Key("k", "hash-b")));

        Assert.Equal(ErrorCodes.IdempotencyKeyReused, error.Code);
        Assert.Equal(10_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
    }

    [Fact]
    public async Task Keys_are_scoped_to_the_caller()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();

        var master = await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key("shared", "h"));
        var member = await wallet.Charge(As(Platform.Member), CardCharge(10_000), Key("shared", "h"));

        Assert.False(member.Replayed);
        Assert.NotEqual(master.Value.Id, member.Value.Id);
        Assert.Equal(20_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_make_one_charge()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var key = Key();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => wallet.Charge(As(Platform.Master), CardCharge(10_000), key)));

        Assert.Single(answers, a => !a.Replayed);
        Assert.Single(answers.Select(a => a.Value).Distinct());
        Assert.Equal(1, await platform.Gateway.CaptureCountAsync());
        Assert.Equal(10_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
    }

    [Fact]
    public async Task A_refund_replay_refunds_once()
    {
        await using var platform = await Platform.StartAsync();
        var wallet = await platform.NewWalletAsync();
        var charge = (await wallet.Charge(As(Platform.Master), CardCharge(10_000), Key())).Value;
        var key = Key();

        var first = await wallet.Refund(As(Platform.Master), new RefundCommand(charge.Id, 4_000), key);
        var replay = await wallet.Refund(As(Platform.Master), new RefundCommand(charge.Id, 4_000), key);

        Assert.True(replay.Replayed);
        Assert.Equal(first.Value, replay.Value);
        Assert.Equal(6_000, (await wallet.Get(As(Platform.Master))).Balance.Total);
        Assert.Equal(4_000, await platform.Gateway.RefundedForAsync($"{wallet.GetPrimaryKeyString()}/{charge.Id}"));
    }
}
