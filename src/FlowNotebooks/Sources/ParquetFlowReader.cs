using FlowNotebooks.Formats;
using FlowNotebooks.Ingest;
using FlowNotebooks.Store;

namespace FlowNotebooks.Sources;

/// <summary>
/// Reads an S3 Parquet flow log through DuckDB's own Parquet reader. Columns are matched to the catalogue by name
/// (<c>account_id</c>, <c>start</c>, …); a value that does not fit its field's type rejects its row (line = row number),
/// and the other rows load.
/// </summary>
internal static class ParquetFlowReader
{
    public static void Read(Stream parquet, ObjectLoad load, LoadWorker worker)
    {
        // DuckDB reads files, not streams: a private copy also keeps the evidence itself out of reach.
        var copy = Path.Combine(Path.GetTempPath(), $"flownb-{Guid.NewGuid():N}.parquet");
        using (var f = new FileStream(copy, FileMode.CreateNew, FileAccess.Write)) parquet.CopyTo(f);
        try
        {
            ReadCopy(copy, load, worker);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    static void ReadCopy(string file, ObjectLoad load, LoadWorker worker)
    {
        var src = $"read_parquet({SqlText.Literal(file)}, file_row_number = true)";
        var columns = new List<(string Name, string Type)>();
        using (var cmd = worker.Connection.CreateCommand())
        {
            cmd.CommandText = $"DESCRIBE SELECT * FROM {src}";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                if (r.GetString(0) != "file_row_number") columns.Add((r.GetString(0), r.GetString(1)));
        }
        var fields = columns.Select(c => (c.Name, c.Type, Field: FieldCatalog.Resolve(c.Name == "start" || c.Name == "end" ? c.Name : c.Name.Replace('_', '-')))).ToList();
        var format = FlowLogFormat.Parse(string.Join(' ', fields.Select(f => f.Field.Name)), "Parquet schema");
        var table = worker.TableFor(worker.BatchFor(format, false));
        var select = new List<string>();
        var bad = new List<string>();
        foreach (var (name, type, field) in fields)
        {
            var col = SqlText.Identifier(name);
            var text = $"NULLIF(CAST({col} AS VARCHAR), '-')";
            var isInt = type is "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT";
            var isFractional = type is "FLOAT" or "DOUBLE" || type.StartsWith("DECIMAL", StringComparison.Ordinal);
            // Never round: 7.5 bytes is not a count. Exact whole numbers of another numeric type are accepted.
            string Whole(string sqlType) =>
                isInt ? $"TRY_CAST({col} AS {sqlType})"
                : isFractional ? $"CASE WHEN {col} = trunc({col}) THEN TRY_CAST({col} AS {sqlType}) END"
                : $"CASE WHEN regexp_full_match({text}, '-?[0-9]+') THEN TRY_CAST({text} AS {sqlType}) END";
            string value = field.Kind switch
            {
                FieldKind.Int32 => Whole("INTEGER"),
                FieldKind.Int64 => Whole("BIGINT"),
                FieldKind.EpochTime => type.StartsWith("TIMESTAMP", StringComparison.Ordinal) ? $"CAST({col} AS TIMESTAMP)"
                    : $"CASE WHEN {Whole("BIGINT")} > 2147483647 THEN make_timestamp({Whole("BIGINT")} * 1000) ELSE make_timestamp({Whole("BIGINT")} * 1000000) END",
                FieldKind.Address => $"CASE WHEN fnb_ipv4({text}) IS NOT NULL OR {text} LIKE '%:%' THEN {text} END",
                _ => text,
            };
            select.Add($"{value} AS {SqlText.Identifier(field.Column)}");
            if (field.Kind == FieldKind.Address)
            {
                select.Add($"fnb_ipv4({text}) AS {SqlText.Identifier(field.Column + "_v4")}");
                select.Add($"NULL::UHUGEINT AS {SqlText.Identifier(field.Column + "_v6")}");
            }
            if (field.Kind != FieldKind.Text)
                bad.Add($"CASE WHEN {text} IS NOT NULL AND ({value}) IS NULL THEN 'field ''{field.Name}'' (Parquet {type}): ''' || left({text}, 64) || ''' is not {Describe(field.Kind)}' END");
        }
        var reason = bad.Count == 0 ? "NULL::VARCHAR" : $"coalesce({string.Join(", ", bad)})";
        worker.Begin();
        // Streamed passes over the file (nothing held in memory): the good rows go in, the bad rows (few) come out with
        // their raw row as JSON for the reject, and the counts and time span come from an aggregate.
        var converted = $"SELECT {string.Join(", ", select)}, {reason} AS fnb_reason, t.file_row_number FROM {src} t";
        var outCols = string.Join(", ", select.Select(s => s[(s.LastIndexOf(" AS ", StringComparison.Ordinal) + 4)..]));
        var flowLogId = load.FlowLogId is null ? "NULL" : SqlText.Literal(load.FlowLogId);
        Exec(worker, $"INSERT INTO {SqlText.Identifier(table)} BY NAME SELECT {outCols}, {load.EvidenceId} AS evidence_id, file_row_number + 1 AS line, {flowLogId} AS flow_log_id FROM ({converted}) WHERE fnb_reason IS NULL");
        var hasSpan = fields.Any(f => f.Field.Name == "start") && fields.Any(f => f.Field.Name == "end");
        using (var summary = worker.Connection.CreateCommand())
        {
            summary.CommandText = $"SELECT count(*), {(hasSpan ? "epoch_us(min(start_time)), epoch_us(max(end_time))" : "NULL::BIGINT, NULL::BIGINT")} FROM ({converted}) WHERE fnb_reason IS NULL";
            using var r = summary.ExecuteReader();
            r.Read();
            var good = r.GetInt64(0);
            if (!r.IsDBNull(1))
            {
                load.FirstMicros = r.GetInt64(1);
                load.LastMicros = r.GetInt64(2);
            }
            load.AddRecords(good);
            if (good > 0) load.Formats.Add(format.Signature);
        }
        if (bad.Count > 0)
        {
            using var rejects = worker.Connection.CreateCommand();
            rejects.CommandText = $"SELECT t.file_row_number + 1, {reason} AS fnb_reason, to_json(t) FROM {src} t WHERE fnb_reason IS NOT NULL ORDER BY 1 LIMIT {ObjectLoad.MaxStoredRejects}";
            using (var r = rejects.ExecuteReader())
                while (r.Read())
                    load.Reject(r.GetInt64(0), r.GetString(1), System.Text.Encoding.UTF8.GetBytes(r.GetString(2)));
            using var total = worker.Connection.CreateCommand();
            total.CommandText = $"SELECT count(*) FROM {src}";
            // Beyond the stored rejects, the rest are counted (the manifest's figure is the whole count).
            load.CountUnstoredRejects(Convert.ToInt64(total.ExecuteScalar()) - load.Records - load.RejectCount);
        }
        if (load.Records == 0 && load.RejectCount == 0)
        {
            load.Status = "empty";
            load.Reject(0, "Parquet object holds no rows", default);
        }
    }

    static string Describe(FieldKind kind) => kind switch
    {
        FieldKind.Int32 => "a 32-bit integer",
        FieldKind.Int64 => "a 64-bit integer",
        FieldKind.EpochTime => "a Unix time",
        FieldKind.Address => "an IPv4 or IPv6 address",
        _ => "text",
    };

    static void Exec(LoadWorker worker, string sql) => worker.Execute(sql);
}
