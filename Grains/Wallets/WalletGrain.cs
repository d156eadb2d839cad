using Orleans.Concurrency;
using AdWallet.Persistence;
using AdWallet.Grains.Channels;
using AdWallet.Grains.Payments;
using AdWallet.Grains.Users;
using Orleans;
using Orleans.Runtime;
using Orleans.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AdWallet.Grains.Wallets;

/// <summary>
/// A prepaid wallet. Its state is the projection of its journal of <see cref="WalletEvent"/>s, and the money events
/// in that journal are its ledger, so the balance and the ledger are written together and always agree.
/// </summary>
/// <remarks>
/// The grain is reentrant so that concurrent requests share commits (group commit): every operation checks and
/// raises its events without awaiting in between, then awaits the commit; an operation that awaits something else
/// (the gateway, another grain) checks again afterwards. An answer is given only once the events behind it are
/// stored, and writes are stored in order, so no answer ever rests on something that was not stored.
/// </remarks>
[Reentrant]
public sealed partial class WalletGrain(
    [JournaledState("wallet")] IJournaledState<WalletState, WalletEvent> wallet,
    IPaymentGateway gateway,
    IOptions<PaymentOptions> paymentOptions,
    IOptions<AutoPayOptions> autoPayOptions,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<WalletGrain> logger) : Grain, IWalletGrain, IRemindable
{
    private WalletState State => wallet.State;

    private string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _reconciliationScheduled = await this.GetReminder(ReconcileReminder) is not null;
        if (HasUnsettledPayments && !_reconciliationScheduled) await ScheduleReconciliationAsync();
        if (_reconciliationScheduled) await RecoverLostCreditsAsync();
    }

    public async Task<WalletView> Create(Caller caller, CreateWallet command)
    {
        ValidateCreate(command);
        if (command.Kind == WalletKinds.Personal) await RequireIdentityVerifiedAsync(caller.UserId);
        if (State.Exists) throw new DomainException(ErrorCodes.AlreadyExists, $"Wallet {Id} already exists.");

        Raise(new WalletCreated(Now, command.Name, command.Kind, caller.UserId, command.BusinessRegistrationNumber, command.TaxInvoiceEmail));
        await Commit();
        await User(caller.UserId).AddWallet(Id);
        return State.ToView(Id);
    }

    public async Task<WalletView> Get(Caller caller)
    {
        await RequireMemberAsync(caller);
        await wallet.WhenWrittenAsync();
        return State.ToView(Id);
    }

    public async Task<WalletView> Update(Caller caller, UpdateWallet command)
    {
        if (command.Name is not null) await RequireMasterAsync(caller, "Only the wallet master can rename the wallet.");
        else await RequireMemberAsync(caller);

        if (command.TaxInvoiceEmail is not null && State.Kind == WalletKinds.Personal) throw NoTaxInvoiceOnPersonal();

        if (command.Name is { } name && name != State.Name) Raise(new WalletRenamed(Now, name));
        if (command.TaxInvoiceEmail is { } email && email != State.TaxInvoiceEmail) Raise(new TaxInvoiceEmailChanged(Now, email));
        await Commit();
        return State.ToView(Id);
    }

    public async Task<WalletView> AddMember(Caller caller, string userId)
    {
        await RequireMasterAsync(caller, "Only the wallet master can invite members.");
        if (userId == State.MasterId || State.MemberIds.Contains(userId)) return State.ToView(Id);

        Raise(new MemberAdded(Now, userId));
        await Commit();
        await User(userId).AddWallet(Id);
        await NotifyAsync([userId], $"{Id}:member:{userId}:{wallet.Version}", "wallet_member_added",
            "You were added to a wallet", $"You can now use the wallet '{State.Name}'.");
        return State.ToView(Id);
    }

    public async Task RemoveMember(Caller caller, string userId)
    {
        await RequireMasterAsync(caller, "Only the wallet master can remove members.");
        if (userId == State.MasterId)
            throw new DomainException(ErrorCodes.CannotRemoveMaster, "The wallet master cannot be removed.");
        if (!State.MemberIds.Contains(userId)) throw DomainException.NotFound($"Member {userId}");

        Raise(new MemberRemoved(Now, userId));
        await Commit();
        await User(userId).RemoveWallet(Id);
    }

    public async Task ConnectChannel(Caller caller, string channelId, string? channelType = null)
    {
        await RequireMasterAsync(caller, "Only the wallet master can connect the wallet to a channel.");
        if (State.Kind == WalletKinds.Business && (channelType ?? ChannelTypes.Default) != ChannelTypes.Business)
            throw new DomainException(ErrorCodes.BusinessChannelRequired, "A business wallet can be connected to a business channel only.");
        if (State.ChannelIds.Contains(channelId)) return;
        Raise(new ChannelConnected(Now, channelId));
        await Commit();
    }

    public async Task DisconnectChannel(string channelId)
    {
        if (!State.ChannelIds.Contains(channelId)) return;
        Raise(new ChannelDisconnected(Now, channelId));
        await Commit();
    }

    public async Task<Page<TransactionView>> ListTransactions(Caller caller, string? kind, PageRequest page)
    {
        await RequireMemberAsync(caller);
        var before = Paging.ParseCursor(page.Cursor);
        await wallet.WhenWrittenAsync();
        IReadOnlyList<string> kinds = kind is null ? TransactionKinds.All : [kind];
        var entries = await wallet.ReadEntriesAsync(before, page.Limit + 1, kinds);
        var items = entries.Take(page.Limit).Select(e => e.ToTransaction()!).ToArray();
        return new Page<TransactionView>(items, entries.Count > page.Limit ? Paging.Cursor(entries[page.Limit - 1].Sequence) : null);
    }

    private void Raise(WalletEvent change) => wallet.Append(change, (change as IPostingEvent)?.Posting.Kind);

    private Task Commit() => wallet.PendingCount == 0 ? wallet.WhenWrittenAsync() : wallet.WriteStateAsync();

    private IUserGrain User(string userId) => GrainFactory.GetGrain<IUserGrain>(userId);

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    private static void ValidateCreate(CreateWallet command)
    {
        if (!WalletKinds.All.Contains(command.Kind))
            throw new DomainException(ErrorCodes.ValidationFailed, $"A wallet is {string.Join(" or ", WalletKinds.All)}.");
        if (command.Kind == WalletKinds.Business && command.BusinessRegistrationNumber is not { Length: WalletLimits.BusinessRegistrationNumberLength } number)
            throw new DomainException(ErrorCodes.ValidationFailed, "A business wallet needs its 10-digit business registration number.");
        if (command.BusinessRegistrationNumber is { } brn && !brn.All(char.IsAsciiDigit))
            throw new DomainException(ErrorCodes.ValidationFailed, "A business registration number is 10 digits.");
        if (command.Kind == WalletKinds.Personal && command.TaxInvoiceEmail is not null) throw NoTaxInvoiceOnPersonal();
    }

    /// <summary>A personal wallet gets no tax invoice, so it has nowhere to send one (seed 001).</summary>
    private static DomainException NoTaxInvoiceOnPersonal() =>
        new(ErrorCodes.BusinessWalletRequired, "A personal wallet has no tax invoices, so no tax-invoice email.");

    private async Task NotifyAsync(IEnumerable<string> userIds, string notificationId, string kind, string subject, string message)
    {
        foreach (var userId in userIds)
        {
            try
            {
                await User(userId).Notify(new Notification($"{notificationId}:{userId}", kind, subject, message));
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Notifying {UserId} of {Kind} on wallet {WalletId} failed", userId, kind, Id);
            }
        }
    }

    private IEnumerable<string> MasterAndMembers => [State.MasterId, .. State.MemberIds];
}
