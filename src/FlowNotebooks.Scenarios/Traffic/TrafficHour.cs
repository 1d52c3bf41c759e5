namespace FlowNotebooks.Scenarios.Traffic;

/// <summary>One hour of the scenario being generated: sources write their traffic for it, nothing else.</summary>
public sealed class TrafficHour(long start, int seed, double rate, IFlowSink sink)
{
    /// <summary>Unix seconds of the hour's first second.</summary>
    public long Start { get; } = start;
    public long End => Start + 3600;
    public DateTime Time => DateTime.UnixEpoch.AddSeconds(Start);
    public int Seed { get; } = seed;
    /// <summary>How many times the small scale's user traffic to generate.</summary>
    public double Rate { get; } = rate;
    public IFlowSink Sink { get; } = sink;

    /// <summary>The source's random stream for this hour (independent of every other source and hour).</summary>
    public ScenarioRandom Random(string source) => ScenarioRandom.For(Seed, source, Start / 3600);

    /// <summary>
    /// How busy the business is at this hour relative to its peak: office hours in Europe, quieter nights and weekends.
    /// </summary>
    public double Load
    {
        get
        {
            var t = Time;
            var h = t.Hour + 0.5;
            var day = 0.15 + 0.85 * Math.Exp(-Math.Pow((h - 13.5) / 4.5, 2));
            return t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? day * 0.5 : day;
        }
    }

    public bool OfficeHours => Time.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && Time.Hour is >= 8 and < 18;

    /// <summary>A random second in the hour leaving <paramref name="room"/> seconds before its end.</summary>
    public long At(ScenarioRandom r, long room = 0) => Start + r.Next(0, Math.Max(1, 3600 - room));
}

/// <summary>A kind of traffic in the scenario (health checks, DNS, an attacker's beacon…).</summary>
public interface ITrafficSource
{
    /// <summary>Writes the traffic whose aggregation windows start in this hour.</summary>
    void Emit(TrafficHour hour);
}
