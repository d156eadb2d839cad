namespace Granary.Networking;

/// <summary>Generations for silo addresses: the start time in Unix milliseconds, never the same twice in a process.</summary>
internal static class SiloGeneration
{
    private static long s_last;

    /// <summary>
    /// Read from the system clock, not the silo's <see cref="TimeProvider"/>: a generation is an identity, and test
    /// clocks stand still, which would give two starts the same one.
    /// </summary>
    public static long Next()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        while (true)
        {
            var last = Volatile.Read(ref s_last);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref s_last, next, last) == last) return next;
        }
    }
}
