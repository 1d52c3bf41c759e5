namespace FlowNotebooks.Scenarios;

/// <summary>
/// SplitMix64: the only randomness a scenario uses. Every stream is derived from (seed, name, index), so one source's
/// draws never depend on how many another made, and the same seed always gives the same evidence on every platform
/// (unlike <see cref="Random"/> without a seed or string hash codes, which change per process).
/// </summary>
public sealed class ScenarioRandom(ulong state)
{
    ulong state = state;

    /// <summary>The stream for a named source in a given period (an hour index, a conversation number…).</summary>
    public static ScenarioRandom For(int seed, string stream, long index = 0) => new(Key(seed, stream, index));

    /// <summary>A stable 64-bit key for (seed, name, index).</summary>
    public static ulong Key(int seed, string stream, long index = 0)
    {
        var h = 14695981039346656037UL;
        foreach (var c in stream)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return Mix(Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ h) ^ (ulong)index * 0xD1B54A32D192ED03UL);
    }

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextU64() => Mix(state += 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform in [0, n).</summary>
    public int Next(int n) => n <= 1 ? 0 : (int)(((NextU64() >> 32) * (ulong)n) >> 32);

    /// <summary>Uniform in [min, maxExclusive).</summary>
    public long Next(long min, long maxExclusive) => maxExclusive <= min ? min : min + (long)(NextU64() % (ulong)(maxExclusive - min));

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextU64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A count of events with mean <paramref name="mean"/> (Poisson; normal approximation when large).</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0) return 0;
        if (mean > 40)
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * Normal()));
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = NextDouble();
        while (p > limit)
        {
            k++;
            p *= NextDouble();
        }
        return k;
    }

    /// <summary>Standard normal (Box–Muller).</summary>
    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A value around <paramref name="median"/> with a long right tail (sizes, durations).</summary>
    public long LogNormal(double median, double spread) => Math.Max(1, (long)(median * Math.Exp(spread * Normal())));

    /// <summary>An ephemeral client port as Linux picks them.</summary>
    public ushort EphemeralPort() => (ushort)Next(32768, 61000);

    /// <summary>Lower-case hex digits (AWS resource ids, object hashes).</summary>
    public string Hex(int digits)
    {
        var chars = new char[digits];
        for (var i = 0; i < digits; i++) chars[i] = "0123456789abcdef"[Next(16)];
        return new string(chars);
    }
}
