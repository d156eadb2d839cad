using Granary.Storage;
using Granary.Tests.Grains;

namespace Granary.Tests.Networking;

public enum Shade
{
    Light,
    Dark,
}

public sealed record Parcel(string Id, long Amount, Shade Shade, List<string> Tags, Dictionary<string, int> Counts, DateTimeOffset At, decimal Price);

/// <summary>A domain error as the platform's grains throw it: a code the API maps to an HTTP answer, and a message.</summary>
public sealed class CodedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>An exception no constructor can rebuild from what travels.</summary>
public sealed class OpaqueException : Exception
{
    public OpaqueException(int secret) : base($"opaque {secret}") { }
}

public interface IEchoGrain : IGrainWithStringKey
{
    Task<string?> EchoString(string? value);

    Task<long> EchoLong(long value);

    Task<Guid> EchoGuid(Guid value);

    Task<Shade> EchoShade(Shade value);

    Task<Parcel?> EchoParcel(Parcel? value);

    Task<List<int>> EchoList(List<int> value);

    Task<Dictionary<string, long>> EchoDictionary(Dictionary<string, long> value);

    Task<ICounterGrain?> EchoReference(ICounterGrain? value);

    Task<int> Add(int a, int b);

    Task Touch();

    ValueTask TouchValue();

    ValueTask<string> JoinValue(string a, string b);

    Task<int> Touches();

    Task<int> Throw(string kind);

    /// <summary>Throws before returning a task, so the call fails rather than ending canceled.</summary>
    Task<int> ThrowAtOnce(string kind);

    Task<string> Make(int length);
}

public sealed class EchoGrain : Grain, IEchoGrain
{
    private int _touches;

    public Task<string?> EchoString(string? value) => Task.FromResult(value);

    public Task<long> EchoLong(long value) => Task.FromResult(value);

    public Task<Guid> EchoGuid(Guid value) => Task.FromResult(value);

    public Task<Shade> EchoShade(Shade value) => Task.FromResult(value);

    public Task<Parcel?> EchoParcel(Parcel? value) => Task.FromResult(value);

    public Task<List<int>> EchoList(List<int> value) => Task.FromResult(value);

    public Task<Dictionary<string, long>> EchoDictionary(Dictionary<string, long> value) => Task.FromResult(value);

    public Task<ICounterGrain?> EchoReference(ICounterGrain? value) => Task.FromResult(value);

    public Task<int> Add(int a, int b) => Task.FromResult(a + b);

    public async Task Touch()
    {
        await Task.Yield();
        _touches++;
    }

    public ValueTask TouchValue()
    {
        _touches++;
        return ValueTask.CompletedTask;
    }

    public async ValueTask<string> JoinValue(string a, string b)
    {
        await Task.Yield();
        return a + b;
    }

    public Task<int> Touches() => Task.FromResult(_touches);

    public async Task<int> Throw(string kind)
    {
        await Task.Yield();
        throw Error(kind);
    }

    public Task<int> ThrowAtOnce(string kind) => throw Error(kind);

    private static Exception Error(string kind) =>
        kind switch
        {
            "coded" => new CodedException("WALLET_INSUFFICIENT", "Balance 0 is less than 5000."),
            "data" => new InvalidOperationException("with data") { Data = { ["attempt"] = 3, ["reason"] = "card declined", ["when"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) } },
            "opaque" => new OpaqueException(42),
            "timeout" => new TimeoutException("too slow"),
            "invalid" => new InvalidOperationException("not now"),
            "argument" => new ArgumentException("Amount must be positive.", "amount"),
            "argument-null" => new ArgumentNullException("card", "A card is required."),
            "argument-range" => new ArgumentOutOfRangeException("amount", "Amount must be below the limit."),
            "deadlock" => new DeadlockException("cycle"),
            "inconsistent" => new InconsistentStateException("stale write", "7", "6"),
            "unavailable" => new SiloUnavailableException("gone"),
            "canceled" => new OperationCanceledException("stopped"),
            "activation" => new GrainActivationException("activation failed", new CodedException("INNER", "inner failure")),
            _ => new NotSupportedException(kind),
        };

    public Task<string> Make(int length) => Task.FromResult(new string('x', length));
}

/// <summary>Relays along a path where every next grain lives on the other silo: the peer router sends it there.</summary>
public interface IRemoteCycleGrain : IGrainWithStringKey
{
    Task<string> Relay(string[] path);
}

public sealed class RemoteCycleGrain(PeerRouter router) : Grain, IRemoteCycleGrain
{
    public async Task<string> Relay(string[] path)
    {
        if (path.Length == 0) return this.GetPrimaryKeyString();
        var next = router.Peer.GetGrain<IRemoteCycleGrain>(path[0]);
        return $"{this.GetPrimaryKeyString()}>{await next.Relay(path[1..])}";
    }
}

/// <summary>Gives test grains references whose calls go to the other silo of a two-silo test cluster.</summary>
public sealed class PeerRouter
{
    public IGrainFactory Peer { get; set; } = null!;
}
