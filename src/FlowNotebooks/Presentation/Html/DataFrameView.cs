using System.Net;
using System.Text;
using Microsoft.Data.Analysis;

namespace FlowNotebooks.Presentation.Html;

/// <summary>A DataFrame as a bounded HTML table or aligned text: first rows only, counts always shown, numbers
/// right-aligned, every value HTML-encoded (evidence text is attacker-controlled).</summary>
public static class DataFrameView
{
    /// <summary>Rows shown when not told otherwise.</summary>
    public const int DefaultRows = 25;

    const int MaxTextWidth = 40;

    /// <summary>HTML table of the first <paramref name="rows"/> rows.</summary>
    public static string ToHtml(DataFrame frame, int rows = DefaultRows)
    {
        var shown = (int)Math.Min(frame.Rows.Count, Math.Max(0, rows));
        var columns = frame.Columns.ToList();
        var sb = new StringBuilder("<div class=\"flownb-frame\"><table style=\"font-variant-numeric: tabular-nums\"><thead><tr><th></th>");
        foreach (var c in columns)
            sb.Append("<th title=\"").Append(E(c.DataType.Name)).Append("\">").Append(E(c.Name)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        for (var r = 0; r < shown; r++)
        {
            // Rows count from 1, as a reader counts them.
            sb.Append("<tr><td><i>").Append(r + 1).Append("</i></td>");
            foreach (var c in columns)
            {
                var right = CellText.IsNumeric(c.DataType) ? " style=\"text-align:right\"" : "";
                sb.Append("<td").Append(right).Append('>').Append(Cell(c[r], c.Name)).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table><p><small>").Append(E(Counts(frame, shown))).Append("</small></p></div>");
        return sb.ToString();
    }

    /// <summary>Aligned text of the first <paramref name="rows"/> rows (wide values cut with an ellipsis).</summary>
    public static string ToText(DataFrame frame, int rows = DefaultRows)
    {
        var shown = (int)Math.Min(frame.Rows.Count, Math.Max(0, rows));
        var columns = frame.Columns.ToList();
        var cells = columns.Select(c => new[] { c.Name }.Concat(Enumerable.Range(0, shown).Select(r => Cut(CellText.Format(c[r], c.Name)))).ToArray()).ToArray();
        var widths = cells.Select(col => col.Max(s => s.Length)).ToArray();
        var sb = new StringBuilder();
        for (var r = 0; r <= shown; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                if (c > 0) sb.Append("  ");
                var s = cells[c][r];
                sb.Append(CellText.IsNumeric(columns[c].DataType) ? s.PadLeft(widths[c]) : s.PadRight(widths[c]));
            }
            sb.Append('\n');
        }
        return sb.Append(Counts(frame, shown)).Append('\n').ToString();
    }

    /// <summary>A cell's HTML: whole numbers with thousands separators (not ports, protocols or ids), a long list as
    /// its first entries with the full list one click away.</summary>
    static string Cell(object? value, string column)
    {
        if (value is not string && value is System.Collections.IEnumerable list and not byte[] and not System.Collections.IDictionary)
        {
            var items = list.Cast<object?>().Select(v => CellText.Format(v)).ToList();
            if (items.Count > ReportSummary.Shown)
                return E("[" + string.Join(", ", items.Take(ReportSummary.Shown)) + ", …]") + ReportSummary.More(items.Skip(ReportSummary.Shown).ToList());
        }
        return E(CellText.Grouped(value, column));
    }

    static string Counts(DataFrame frame, int shown) =>
        $"{shown:N0} of {frame.Rows.Count:N0} rows shown, {frame.Columns.Count:N0} columns";

    static string Cut(string s)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length <= MaxTextWidth ? s : s[..(MaxTextWidth - 1)] + "…";
    }

    static string E(string s) => WebUtility.HtmlEncode(s);
}
