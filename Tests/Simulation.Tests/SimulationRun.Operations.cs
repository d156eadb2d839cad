using AdWallet.Grains;
using AdWallet.Grains.AdAccounts;
using AdWallet.Grains.Campaigns;
using AdWallet.Grains.Wallets;
using AdWallet.TestSupport;

namespace AdWallet.Simulation.Tests;

/// <summary>The workload: operations chosen by the seed, run as a client runs them (timeouts, retries with the same key).</summary>
public sealed partial class SimulationRun
{
    /// <summary>How long a client waits before giving up on an answer (real time), when the seed says it is impatient.</summary>
    private static readonly TimeSpan ImpatientClient = TimeSpan.FromMilliseconds(30);

    private async Task StepAsync()
    {
        var operations = new List<Func<Task>>();
        var count = 1 + _random.Next(_settings.MaxOperationsPerStep);
        for (var i = 0; i < count; i++) operations.Add(NextOperation());
        // Faults chosen before the step run while it runs.
        var faults = ChooseFaults();
        await Task.WhenAll(operations.Select(operation => operation()).Append(faults));
        _world.Gateway.ReleaseHolds();
        if (_random.NextDouble() < 0.08) AdvanceClock();
    }

    private Func<Task> NextOperation()
    {
        var roll = _random.NextDouble();
        return roll switch
        {
            < 0.30 => NewCharge(),
            < 0.36 => RetryCharge(),
            < 0.42 => NewRefund(),
            < 0.45 => GrantFreeCash(),
            < 0.88 => Participate(),
            < 0.90 => SetAccountStatus(),
            < 0.905 => StopCampaign(),
            < 0.93 => ChangeAutoPay(),
            _ => ChangePrimaryCard(),
        };
    }

    /// <summary>Whether the next client stops waiting early: decided by the seed when the operation is chosen.</summary>
    private bool Impatient() => _random.NextDouble() < 0.05;

    /// <summary>Runs <paramref name="call"/> as a client would: an impatient one stops waiting (the call goes on), or hears a failure.</summary>
    private async Task<(bool Answered, T? Value, DomainException? Refusal)> CallAsync<T>(string kind, Func<Task<T>> call, bool impatient = false)
    {
        _report.Operation(kind);
        var task = call();
        if (impatient)
        {
            if (await Task.WhenAny(task, Task.Delay(ImpatientClient)) != task)
            {
                _report.Fault("client_timeout");
                lock (_abandoned) _abandoned.Add(task);
                return (false, default, null);
            }
        }
        try
        {
            return (true, await task, null);
        }
        catch (DomainException refusal)
        {
            return (true, default, refusal);
        }
        catch (Exception)
        {
            // A failure the client cannot read (a storage fault, a silo gone, a timeout): it may have committed.
            return (false, default, null);
        }
    }

    private Func<Task> NewCharge()
    {
        var wallet = Pick(_wallets);
        var amount = 1_000L * _random.Next(1, 200);
        var command = _random.Next(3) switch
        {
            0 => new ChargeCommand(amount, PaymentMethods.Card, true, CardId: Pick(wallet.CardIds)),
            1 => new ChargeCommand(amount, PaymentMethods.Card, true, CardNumber: _random.Next(10) == 0 ? TestCards.Declined : TestCards.Succeeding),
            _ => new ChargeCommand(amount, PaymentMethods.PayMoney, true),
        };
        var record = new ChargeRecord(wallet.Id, command, NewKey($"{command}"));
        _told.Locked(() => _told.Charges[record.Key.Key] = record);
        // Sometimes the client sends the same request twice at once (a double click, a retry racing the first).
        var twice = _random.NextDouble() < 0.05;
        var impatient = Impatient();
        return async () =>
        {
            var attempts = twice ? new[] { ChargeAsync(record, impatient), ChargeAsync(record) } : [ChargeAsync(record, impatient)];
            await Task.WhenAll(attempts);
        };
    }

    private Func<Task> RetryCharge()
    {
        var records = _told.Locked(() => _told.Charges.Values.Where(r => r.InDoubt || !r.IsFinal || _random.Next(4) == 0).Take(50).ToList());
        if (records.Count == 0) return NewCharge();
        var record = Pick(records);
        var impatient = Impatient();
        return () => ChargeAsync(record, impatient);
    }

    private async Task ChargeAsync(ChargeRecord record, bool impatient = false)
    {
        var (answered, value, refusal) = await CallAsync("charge", () =>
            Grains.GetGrain<IWalletGrain>(record.WalletId).Charge(new Caller(OwnerOf(record.WalletId)), record.Command, record.Key), impatient);
        if (!answered)
        {
            _told.Locked(() => record.InDoubt = true);
            return;
        }
        if (value is not null)
        {
            if (_told.ChargeAnswered(record, value.Value) is { } broken) Broken(broken);
            Trace($"charge {record.Key.Key} {record.WalletId} {record.Command.Amount} {record.Command.Method} -> {value.Value.Id} {value.Value.Status}{(value.Replayed ? " (replay)" : "")}");
        }
        else
        {
            // Only the gateway being out of reach is a refusal a valid charge can get: nothing was recorded.
            if (refusal!.Code != ErrorCodes.PaymentGatewayUnavailable) Broken($"charge {record.Key.Key} refused: {refusal.Code} {refusal.Message}");
            Trace($"charge {record.Key.Key} {record.WalletId} -> {refusal.Code}");
        }
    }

    private Func<Task> NewRefund()
    {
        var charged = _told.Locked(() => _told.Charges.Values.Where(r => r.Latest is { Status: ChargeStatus.Succeeded }).Take(200).ToList());
        if (charged.Count == 0) return NewCharge();
        var charge = Pick(charged);
        var amount = _random.Next(3) == 0 ? (long?)null : 1_000L * _random.Next(1, (int)Math.Max(2, charge.Latest!.Amount / 1_000));
        var record = new RefundRecord(charge.WalletId, new RefundCommand(charge.Latest!.Id, amount), NewKey($"refund:{charge.Latest.Id}:{amount}"));
        _told.Locked(() => _told.Refunds[record.Key.Key] = record);
        var impatient = Impatient();
        return () => RefundAsync(record, impatient);
    }

    private async Task RefundAsync(RefundRecord record, bool impatient = false)
    {
        var (answered, value, refusal) = await CallAsync("refund", () =>
            Grains.GetGrain<IWalletGrain>(record.WalletId).Refund(new Caller(OwnerOf(record.WalletId)), record.Command, record.Key), impatient);
        if (!answered)
        {
            _told.Locked(() => record.InDoubt = true);
            return;
        }
        if (value is not null)
        {
            if (_told.RefundAnswered(record, value.Value) is { } broken) Broken(broken);
            Trace($"refund {record.Key.Key} {record.Command.ChargeId} -> {value.Value.Id} {value.Value.Amount}");
            return;
        }
        _told.Locked(() => record.InDoubt = false);
        if (refusal!.Code is not (ErrorCodes.RefundExceedsAvailable or ErrorCodes.NegativeBalance or ErrorCodes.PaymentGatewayUnavailable))
            Broken($"refund {record.Key.Key} of {record.Command.ChargeId} refused: {refusal.Code} {refusal.Message}");
    }

    private Func<Task> GrantFreeCash()
    {
        var wallet = Pick(_wallets);
        var command = new GrantFreeCash(1_000L * _random.Next(1, 50), _world.Clock.GetUtcNow().AddHours(_random.Next(1, 72)));
        var key = NewKey($"grant:{command.Amount}:{command.ExpiresAt:O}");
        return async () =>
        {
            // A grant the operator did not hear about is sent again with its key until it is answered.
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var (answered, value, refusal) = await CallAsync("free_cash", () =>
                    Grains.GetGrain<IWalletGrain>(wallet.Id).GrantFreeCash(Caller.Operator(Operator), command, key));
                if (refusal is not null) Broken($"free cash grant refused: {refusal.Code} {refusal.Message}");
                if (!answered) continue;
                var grant = value!.Value;
                if (grant.Amount != command.Amount) Broken($"free cash grant {grant.Id} answered {grant.Amount}, asked {command.Amount}");
                _told.Locked(() => _told.Grants[grant.Id] = (wallet.Id, grant.Amount));
                return;
            }
        };
    }

    private Func<Task> Participate()
    {
        // Few campaigns, users drawn from a pool, so the same user comes back.
        var campaign = _campaigns[Math.Min(_campaigns.Count - 1, (int)Math.Floor(Math.Pow(_random.NextDouble(), 2) * _campaigns.Count))];
        var user = $"p{_random.Next(5_000)}";
        var record = _told.Locked(() =>
        {
            if (!_told.Participations.TryGetValue((campaign.Id, user), out var existing))
                _told.Participations[(campaign.Id, user)] = existing = new ParticipationRecord(campaign.Id, user, $"+8210{_random.Next(10_000_000, 99_999_999)}");
            return existing;
        });
        var impatient = Impatient();
        return () => ParticipateAsync(record, campaign.MasterId, impatient);
    }

    private async Task ParticipateAsync(ParticipationRecord record, string masterId, bool impatient = false)
    {
        var (answered, value, refusal) = await CallAsync("participation", () =>
            Grains.GetGrain<ICampaignGrain>(record.CampaignId).Participate(new Caller(masterId), new Participation(record.UserId, record.Phone)), impatient);
        if (!answered)
        {
            _told.Locked(() => record.InDoubt = true);
            return;
        }
        if (refusal is not null && refusal.Code is not (ErrorCodes.CampaignNotRunning or ErrorCodes.AdAccountOff or ErrorCodes.BudgetExhausted))
            Broken($"participation of {record.UserId} in {record.CampaignId} refused: {refusal.Code} {refusal.Message}");
        if (_told.ParticipationAnswered(record, value?.Accepted == true) is { } broken) Broken(broken);
    }

    private Func<Task> SetAccountStatus()
    {
        var campaign = Pick(_campaigns);
        var on = _random.Next(3) != 0;
        return async () =>
        {
            var (_, _, refusal) = await CallAsync("account_status", () =>
                Grains.GetGrain<IAdAccountGrain>(campaign.AdAccountId).SetStatus(new Caller(campaign.MasterId), on));
            if (refusal is not null) Trace($"account {campaign.AdAccountId} status {on}: {refusal.Code}");
        };
    }

    private Func<Task> StopCampaign()
    {
        var campaign = Pick(_campaigns);
        return async () =>
        {
            var (_, _, refusal) = await CallAsync("campaign_stop", () =>
                Grains.GetGrain<ICampaignGrain>(campaign.Id).Stop(new Caller(campaign.MasterId)));
            Trace($"stop {campaign.Id}{(refusal is null ? "" : $": {refusal.Code}")}");
        };
    }

    private Func<Task> ChangeAutoPay()
    {
        var wallet = Pick(_wallets);
        var enabled = _random.Next(4) != 0;
        return async () =>
        {
            var (_, _, refusal) = await CallAsync("auto_pay_settings", () =>
                Grains.GetGrain<IWalletGrain>(wallet.Id).SetAutoPay(new Caller(wallet.MasterId), new AutoPaySettings(enabled, wallet.DailyLimit)));
            if (refusal is not null) Broken($"auto-pay settings refused: {refusal.Code} {refusal.Message}");
        };
    }

    private Func<Task> ChangePrimaryCard()
    {
        var wallet = Pick(_wallets);
        var card = Pick(wallet.CardIds);
        return async () =>
        {
            var (_, _, refusal) = await CallAsync("primary_card", () =>
                Grains.GetGrain<IWalletGrain>(wallet.Id).MakeCardPrimary(new Caller(wallet.MasterId), card));
            if (refusal is not null) Broken($"primary card refused: {refusal.Code} {refusal.Message}");
        };
    }

    private void AdvanceClock()
    {
        var now = _world.Clock.GetUtcNow();
        // Now and then to just past 00:00 in Seoul (15:00 UTC), where auto-pay's daily limits start again.
        var step = _random.Next(5) == 0
            ? (now.Date.AddHours(15).AddSeconds(1) > now ? now.Date.AddHours(15).AddSeconds(1) : now.Date.AddDays(1).AddHours(15).AddSeconds(1)) - now
            : TimeSpan.FromSeconds(_random.Next(1, 600));
        _world.Clock.Advance(step);
        _report.Operation("clock_step");
        Trace($"clock +{step} -> {_world.Clock.GetUtcNow():O}");
    }

    private string OwnerOf(string walletId) => _wallets.First(w => w.Id == walletId).MasterId;
}
