using System.Globalization;

namespace FlowNotebooks.Input;

/// <summary>
/// The checks a time window must pass before anything runs over it. An empty, reversed or out-of-case window would
/// otherwise look at no records and report "nothing found" — a negative finding that is only a typo. So it is refused,
/// naming the case's span (earliest record start to latest record end) so the analyst can give a window that fits.
/// </summary>
public static class TimeWindow
{
    /// <summary>
    /// Refuses a window of an analysis: from at or after to, or one that overlaps none of the case's records (a record
    /// counts when it ends at or after from and starts before to). <paramref name="caseStart"/>/<paramref name="caseEnd"/>
    /// are the case's earliest record start and latest record end, null for a case without records (then only the order
    /// is checked: there is no span to miss, and the result says the case holds no records).
    /// </summary>
    /// <exception cref="WindowException">The window cannot hold any record of the case.</exception>
    public static void CheckAnalysis(DateTime from, DateTime to, DateTime? caseStart, DateTime? caseEnd, bool fromGiven = true, bool toGiven = true)
    {
        var span = caseStart is { } s && caseEnd is { } e ? $"The case's records span {Show(s)} to {Show(e)}." : "The case holds no flow records.";
        // Only an order the analyst typed is "reversed"; a from past the last record against the default end is "outside".
        if (fromGiven && toGiven && from >= to)
            throw new WindowException(from == to
                ? $"The window from {Show(from)} to {Show(to)} is empty (to is exclusive: give a later to). {span}"
                : $"The window from {Show(from)} to {Show(to)} is reversed (from is after to). {span}");
        if (caseStart is not { } first || caseEnd is not { } last) return;
        if (from > last || to <= first)
            throw new WindowException($"The window from {Show(from)} to {Show(to)} lies entirely outside the case's records, which span {Show(first)} to {Show(last)}.");
    }

    /// <summary>Refuses an acquisition or load window whose from is not before its to (both given).</summary>
    /// <exception cref="WindowException">from at or after to.</exception>
    public static void CheckOrder(DateTime? from, DateTime? to, string fromName = "--from", string toName = "--to")
    {
        if (from is { } f && to is { } t && f >= t)
            throw new WindowException($"{fromName} {Show(f)} is not before {toName} {Show(t)}: the window is {(f == t ? "empty" : "reversed")}.");
    }

    /// <summary>A time as windows and spans are shown: UTC to the second.</summary>
    public static string Show(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A window that cannot hold any record: its message names the window and the case's span.</summary>
public sealed class WindowException(string message) : ArgumentException(message);
