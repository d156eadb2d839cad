using System.Diagnostics;

namespace AdWallet.Cluster.Tests;

/// <summary>Bounded polls: look, and look again shortly, until the condition holds or the bound passes.</summary>
public static class Waiting
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls <paramref name="look"/> until <paramref name="done"/>; fails with what it saw last after <paramref name="bound"/>.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> look, Func<T, bool> done, TimeSpan bound, string what, Func<T, string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            T seen;
            try
            {
                seen = await look();
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && clock.Elapsed < bound)
            {
                // Not up yet.
                await Task.Delay(Interval);
                continue;
            }
            if (done(seen)) return seen;
            if (clock.Elapsed > bound)
                throw new TimeoutException($"Waited {bound.TotalSeconds:0.#} s for {what}; last seen: {(describe is null ? seen?.ToString() : describe(seen))}");
            await Task.Delay(Interval);
        }
    }
}
