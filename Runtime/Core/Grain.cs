using Granary.Catalog;
using Granary.Reminders;
using Granary.Timers;

namespace Granary;

/// <summary>
/// The base class of grain implementations. A grain reads as a short list of domain operations; the runtime gives
/// it identity, a single-threaded turn at a time, timers, reminders and its lifecycle.
/// </summary>
public abstract class Grain : IAddressable
{
    private readonly ActivationData _activation;

    protected Grain()
    {
        _activation = ActivationData.UnderConstruction
            ?? throw new InvalidOperationException("Grains are created by the runtime on their first call, not with 'new'.");
    }

    internal ActivationData Activation => _activation;

    public GrainId GrainId => _activation.GrainId;

    /// <summary>The identity as text, for logs.</summary>
    public string IdentityString => _activation.GrainId.ToString();

    protected IGrainFactory GrainFactory => _activation.Runtime.GrainFactory;

    protected IServiceProvider ServiceProvider => _activation.Runtime.Services;

    /// <summary>Called once, after persistent state is read and before the first request.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called when the activation is collected or the silo stops gracefully. Not called when a silo crashes.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation as soon as the current request has finished.</summary>
    protected void DeactivateOnIdle() => _activation.RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));

    /// <summary>
    /// Starts an in-memory timer. Ticks are queued like requests, never overlap themselves, and stop when the
    /// activation is deactivated. Use a reminder for anything that must survive a restart.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
        => _activation.RegisterTimer(callback, dueTime, period);

    /// <summary>Registers a durable reminder, or moves an existing one of the same name to the new schedule.</summary>
    protected Task<IGrainReminder> RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period)
        => Reminders.RegisterOrUpdateReminder(GrainId, reminderName, dueTime, period);

    protected Task UnregisterReminder(IGrainReminder reminder) => Reminders.UnregisterReminder(GrainId, reminder);

    protected Task<IGrainReminder?> GetReminder(string reminderName) => Reminders.GetReminder(GrainId, reminderName);

    protected Task<IReadOnlyList<IGrainReminder>> GetReminders() => Reminders.GetReminders(GrainId);

    private IReminderRegistry Reminders => _activation.Runtime.Reminders;
}
