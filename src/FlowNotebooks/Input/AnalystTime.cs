using System.Globalization;

namespace FlowNotebooks.Input;

/// <summary>
/// A time as the analyst typed it and as the engine read it: the UTC instant, and whether the text named its zone.
/// A time without a zone is read as UTC; <see cref="Note"/> says so, so the output shows what was assumed.
/// </summary>
public readonly record struct AnalystTime(DateTime Utc, bool ZoneGiven, string Text)
{
    /// <summary>The sentence that states the assumption (null when the text named a zone or was epoch time).</summary>
    public string? Note(string parameter) => ZoneGiven ? null
        : $"{parameter} '{Text}' names no zone: read as UTC, {Show(Utc)}.";

    /// <summary>ISO 8601 UTC, to the second (the form outputs show).</summary>
    public static string Show(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
