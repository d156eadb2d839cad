namespace Granary.Tests.Grains;

public interface ILifecycleGrain : IGrainWithStringKey
{
    Task<string> Ping();

    Task DeactivateWhenDone();
}

/// <summary>Tells the probe when it is activated and deactivated: <c>activate:key</c>, <c>deactivate:key:Reason</c>.</summary>
public sealed class LifecycleGrain(Probe probe) : Grain, ILifecycleGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Signal($"activate:{this.GetPrimaryKeyString()}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Signal($"deactivate:{this.GetPrimaryKeyString()}:{reason.Code}");
        return Task.CompletedTask;
    }

    public Task<string> Ping() => Task.FromResult($"pong from {IdentityString}");

    public Task DeactivateWhenDone()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface IFailingActivationGrain : IGrainWithStringKey
{
    Task<string> Ping();
}

/// <summary>Fails to activate while the probe's <c>fail-activation</c> gate is closed.</summary>
public sealed class FailingActivationGrain(Probe probe) : Grain, IFailingActivationGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Signal("activation-attempt");
        if (!probe.Gate("activation-allowed").IsCompleted)
            throw new InvalidOperationException("The database is not reachable.");
        return Task.CompletedTask;
    }

    public Task<string> Ping() => Task.FromResult("activated");
}
