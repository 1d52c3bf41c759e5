using FlowNotebooks.Formats;
using FlowNotebooks.Sources.Aws.Athena;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>
/// One flow-log table Athena reads in place: the table, the log format its columns follow (a text table maps columns by
/// position, so one table per format) and, when several flow logs share the table's prefix, the flow-log ids whose
/// objects it holds (matched on <c>"$path"</c>; empty reads every object under the table).
/// </summary>
public sealed record AthenaFlowSource(IAthenaFlowTable Table, FlowLogFormat Format, IReadOnlyList<string> FlowLogIds)
{
    /// <summary>The table's column for a field, as AWS's DDL names it (<c>pkt-srcaddr</c> → <c>pkt_srcaddr</c>;
    /// <c>start</c> and <c>end</c> stay, <c>end</c> quoted).</summary>
    public static string TableColumn(string field) => field == "end" ? "\"end\"" : field.Replace('-', '_');

    /// <summary>The type a field's value has in the remote statements' results (times stay epoch seconds).</summary>
    public static string SqlType(FieldKind kind) => kind switch
    {
        FieldKind.Int32 => "integer",
        FieldKind.Int64 or FieldKind.EpochTime => "bigint",
        _ => "varchar",
    };

    /// <summary>The records of the window, one branch per source, every branch giving the same columns: <paramref name="fields"/>
    /// (NULL where a source's format lacks one; text '-' as NULL), then <c>flow_log_id</c> (from the object's name),
    /// <c>object</c> (<c>"$path"</c>) and <c>source_no</c> (which source). Each table is read once.</summary>
    public static string Records(IReadOnlyList<AthenaFlowSource> sources, IReadOnlyList<FlowField> fields, AthenaEngine engine,
        RemoteWindow window, IReadOnlyCollection<string> skipObjects)
    {
        var (fromSeconds, toSeconds) = (window.FromSeconds, window.ToSeconds);
        // Objects that repeat another object's records (a redelivery): left out, as the loader leaves out a duplicate file.
        var skip = skipObjects.Count == 0 ? "" : "\n  AND \"$path\" NOT IN (" + string.Join(", ", skipObjects.Order(StringComparer.Ordinal).Select(Text)) + ")";
        var branches = sources.Select((s, i) =>
        {
            var present = s.Format.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            var columns = fields.Select(f => present.Contains(f.Name)
                ? f.Kind is FieldKind.Text or FieldKind.Address
                    ? $"NULLIF(CAST({TableColumn(f.Name)} AS varchar), '-') AS {Alias(f)}"
                    : $"CAST({TableColumn(f.Name)} AS {SqlType(f.Kind)}) AS {Alias(f)}"
                : $"CAST(NULL AS {SqlType(f.Kind)}) AS {Alias(f)}");
            var ids = s.FlowLogIds.Count == 0 ? "" : "\n  AND " + AthenaDialect.RegexpLike(engine, "\"$path\"",
                $"'_({string.Join("|", s.FlowLogIds.Select(SqlCheckedId))})_'");
            var start = present.Contains("start") ? "start" : "NULL";
            var end = present.Contains("end") ? "\"end\"" : start;
            return $"""
                SELECT {string.Join(", ", columns)},
                       regexp_extract("$path", '_(fl-[0-9a-zA-Z]+)_', 1) AS flow_log_id, "$path" AS object, {i} AS source_no
                FROM {Quote(s.Table.Database)}.{Quote(s.Table.Table)}
                WHERE {s.Table.PartitionPredicate(window.From, window.To, engine)}
                  AND {end} >= {fromSeconds} AND {start} < {toSeconds}{ids}{skip}
                """;
        });
        return string.Join("\nUNION ALL\n", branches);
    }

    /// <summary>A field's column in the results (<c>start</c>/<c>end</c> as <c>start_s</c>/<c>end_s</c>: epoch seconds).</summary>
    public static string Alias(FlowField f) => f.Name switch { "start" => "start_s", "end" => "end_s", _ => f.Name.Replace('-', '_') };

    /// <summary>A string literal.</summary>
    public static string Text(string s) => "'" + s.Replace("'", "''") + "'";

    static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    // Flow-log ids go into a regular expression literal: only the characters AWS uses are accepted.
    static string SqlCheckedId(string id) =>
        System.Text.RegularExpressions.Regex.IsMatch(id, "^fl-[0-9a-zA-Z]+$") ? id : throw new FormatException($"'{id}' is not a flow-log id (fl-…).");
}

/// <summary>The analyst's window, and the records the remote statements read: the window padded by <see cref="Pad"/> on each
/// side (the counting decisions at its edges see their neighbours). The partitions are the table's for the window itself:
/// the table pads them by a day, which holds the hour.</summary>
public sealed record RemoteWindow(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan Pad = TimeSpan.FromHours(1);

    public RemoteWindow(DateTime from, DateTime to)
        : this(new DateTimeOffset(DateTime.SpecifyKind(from, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(to, DateTimeKind.Utc))) { }

    public long FromSeconds => (From - Pad).ToUnixTimeSeconds();
    public long ToSeconds => (To + Pad).ToUnixTimeSeconds();
}
