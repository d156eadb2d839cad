using System.Diagnostics;
using System.Numerics;

namespace AdWallet.Benchmarks.Harness;

/// <summary>
/// A log-linear histogram of <see cref="Stopwatch"/> tick counts, in the manner of HdrHistogram: values below 64 are
/// exact, and every power of two above is split into 64 buckets, so a value is known to within 1/64 (1.6%).
/// Recording is an index computation and an increment: no allocation, no lock. One histogram per worker.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int BucketCount = (64 - SubBucketBits) * SubBucketCount;

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(long ticks)
    {
        if (ticks < 0) ticks = 0;
        _counts[IndexOf(ticks)]++;
        Count++;
        if (ticks > Max) Max = ticks;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < BucketCount; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), as the middle of its bucket, in ticks.</summary>
    public long Percentile(double q)
    {
        if (Count == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(Max, MiddleOf(i));
        }
        return Max;
    }

    // Values with their highest bit at position b >= 6 keep their top 7 bits: index = shift * 64 + (value >> shift).
    private static int IndexOf(long value)
    {
        var shift = Math.Max(0, 63 - BitOperations.LeadingZeroCount((ulong)value) - SubBucketBits);
        return (shift << SubBucketBits) + (int)(value >> shift);
    }

    private static long MiddleOf(int index)
    {
        if (index < 2 * SubBucketCount) return index;
        var shift = (index >> SubBucketBits) - 1;
        var low = (long)((index & (SubBucketCount - 1)) | SubBucketCount) << shift;
        return low + (1L << shift) / 2;
    }
}
