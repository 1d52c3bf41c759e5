namespace FlowNotebooks.Procedures;

/// <summary>A time window [Start, End).</summary>
public readonly record struct Interval(DateTime Start, DateTime End)
{
    public double Seconds => Math.Max(0, (End - Start).TotalSeconds);
}

/// <summary>Set operations on lists of time windows (blind spots of captures, SKIPDATA, missing deliveries).</summary>
public static class Intervals
{
    /// <summary>Sorted, merged (touching windows join).</summary>
    public static List<Interval> Union(IEnumerable<Interval> items)
    {
        var result = new List<Interval>();
        foreach (var i in items.Where(i => i.End > i.Start).OrderBy(i => i.Start).ThenBy(i => i.End))
        {
            if (result.Count > 0 && i.Start <= result[^1].End)
                result[^1] = result[^1] with { End = i.End > result[^1].End ? i.End : result[^1].End };
            else result.Add(i);
        }
        return result;
    }

    /// <summary>Where both lists are.</summary>
    public static List<Interval> Intersect(IReadOnlyList<Interval> a, IReadOnlyList<Interval> b)
    {
        var result = new List<Interval>();
        foreach (var x in Union(a))
            foreach (var y in Union(b))
            {
                var s = x.Start > y.Start ? x.Start : y.Start;
                var e = x.End < y.End ? x.End : y.End;
                if (e > s) result.Add(new Interval(s, e));
            }
        return Union(result);
    }

    /// <summary>The part inside [from, to).</summary>
    public static List<Interval> Clip(IEnumerable<Interval> items, DateTime from, DateTime to) =>
        Intersect(items.ToList(), [new Interval(from, to)]);

    public static double Seconds(IEnumerable<Interval> items) => Union(items).Sum(i => i.Seconds);
}
