using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using FlowNotebooks.Procedures.Athena;
using FlowNotebooks.Formats;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.TestShared.Aws;

/// <summary>
/// What Athena would compute, for <see cref="FakeAthena.Engine"/>: the tables <c>flownb athena create</c> makes (the
/// planner's definitions: names, columns as AWS's DDL names them, partition columns) as views over the same objects
/// uploaded to s3rver, kept on disk under <c>bucketFolder</c> (AWSLogs/…), and each statement run as received on a local
/// DuckDB with the shim macros. A table's rows are the objects of its flow logs in its key layout (what its partitions and
/// its <c>"$path"</c> filter leave), '-' as NULL in number columns as LazySimpleSerDe reads it, <c>"$path"</c> the
/// object's s3:// URI. DataScannedInBytes is what Athena bills a text table: every object under the day folders the
/// statement's partition predicate selects, whole.
/// </summary>
public sealed partial class AthenaOnDuckDb : IDisposable
{
    readonly CaseStore db = CaseStore.Open();
    readonly IReadOnlyList<AthenaFlowTableDefinition> tables;
    readonly List<(string Key, long Size)> objects = [];

    /// <param name="bucketFolder">The folder whose files are the bucket's objects under the tables' prefix (AWSLogs/… below it).</param>
    public AthenaOnDuckDb(string bucketFolder, IReadOnlyList<AthenaFlowTableDefinition> tables)
    {
        this.tables = tables;
        db.Execute(AthenaDialect.ShimMacros);
        var root = Path.GetFullPath(bucketFolder);
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (tables.Select(t => t.Location).Distinct().Count() != 1) throw new ArgumentException("The tables must share one location (the folder's).");
        var prefix = tables[0].Location.Prefix.Length == 0 ? "" : tables[0].Location.Prefix + "/";
        foreach (var f in files) objects.Add((prefix + Path.GetRelativePath(root, f).Replace('\\', '/'), new FileInfo(f).Length));
        foreach (var t in tables)
        {
            var mine = files.Select(f => (File: f, Key: prefix + Path.GetRelativePath(root, f).Replace('\\', '/')))
                .Select(x => (x.File, x.Key, Meta: S3KeyLayout.Parse(x.Key)))
                .Where(x => x.Meta.Layout == t.Layout && t.FlowLogIds.Contains(x.Meta.FlowLogId!) && t.Accounts.Contains(x.Meta.AccountId!) && t.Regions.Contains(x.Meta.Region!))
                .Where(x => Header(x.File) == string.Join(' ', t.Fields.Select(f => f.Name)))
                .ToList();
            db.Execute($"CREATE SCHEMA IF NOT EXISTS {SqlText.Identifier(t.Database)}");
            var partitions = "account_partition VARCHAR, region_partition VARCHAR, day_partition VARCHAR, hour_partition VARCHAR";
            db.Execute($"CREATE TABLE {Meta(t)} (filename VARCHAR, \"$path\" VARCHAR, {partitions})");
            foreach (var x in mine)
            {
                var day = DayFolder(t, x.Key, x.Meta);
                db.Execute($"INSERT INTO {Meta(t)} VALUES ($1, $2, $3, $4, $5, $6)", x.File, $"s3://{t.Location.Bucket}/{x.Key}", x.Meta.AccountId, x.Meta.Region,
                    t.DayValue(day), t.PerHour ? x.Meta.DeliveryTime!.Value.ToString("HH", CultureInfo.InvariantCulture) : null);
            }
            var columns = t.Fields.Select(f => AthenaFlowTableDefinition.HiveType(f) == "string"
                ? $"r.\"{f.Name}\" AS {SqlText.Identifier(AthenaFlowTableDefinition.ColumnName(f))}"
                : $"TRY_CAST(r.\"{f.Name}\" AS {AthenaFlowTableDefinition.HiveType(f).ToUpperInvariant()}) AS {SqlText.Identifier(AthenaFlowTableDefinition.ColumnName(f))}");
            var read = mine.Count == 0
                ? $"(SELECT {string.Join(", ", t.Fields.Select(f => $"CAST(NULL AS VARCHAR) AS \"{f.Name}\""))}, CAST(NULL AS VARCHAR) AS filename WHERE false)"
                : $"read_csv([{string.Join(", ", mine.Select(x => SqlText.Literal(x.File)))}], delim = ' ', header = true, all_varchar = true, filename = true, " +
                  $"auto_detect = false, columns = {{{string.Join(", ", t.Fields.Select(f => $"'{f.Name}': 'VARCHAR'"))}}})";
            db.Execute($"""
                CREATE VIEW {SqlText.Identifier(t.Database)}.{SqlText.Identifier(t.Table)} AS
                SELECT {string.Join(", ", columns)}, m."$path", m.account_partition, m.region_partition, m.day_partition{(t.PerHour ? ", m.hour_partition" : "")}
                FROM {read} r JOIN {Meta(t)} m ON m.filename = r.filename
                """);
        }
    }

    /// <summary>Every statement run, in order.</summary>
    public List<string> Statements { get; } = [];

    /// <summary>Runs <paramref name="sql"/> and answers as Athena would: columns with Athena's type names, values as text.</summary>
    public FakeAthena.Script Run(string sql)
    {
        Statements.Add(sql);
        var r = db.Query(sql);
        return new FakeAthena.Script
        {
            Columns = r.Columns.Select((c, i) => (c, AthenaType(r.Types[i]))).ToArray(),
            Rows = r.Rows.Select(row => row.Select(Text).ToArray()).ToArray(),
            DataScannedInBytes = Scanned(sql),
            EngineExecutionTimeInMillis = 1200,
            PageSize = 700, // several pages for the larger results: the client pages as on Athena
        };
    }

    /// <summary>The bytes under the day folders each table's predicate in <paramref name="sql"/> selects (a table read
    /// twice in one statement would be counted twice, as Athena bills it).</summary>
    public long Scanned(string sql)
    {
        long bytes = 0;
        foreach (Match m in TableRead().Matches(sql))
        {
            var t = tables.Single(x => x.Database == m.Groups["db"].Value && x.Table == m.Groups["table"].Value);
            var (first, last) = (m.Groups["first"].Value, m.Groups["last"].Value);
            foreach (var (key, size) in objects)
            {
                var meta = S3KeyLayout.Parse(key);
                if (meta.DeliveryTime is null || !t.Accounts.Contains(meta.AccountId!) || !t.Regions.Contains(meta.Region!)) continue;
                var day = t.DayValue(DateOnly.FromDateTime(meta.DeliveryTime.Value));
                if (key.StartsWith(t.DayPrefix(meta.AccountId!, meta.Region!, DateOnly.FromDateTime(meta.DeliveryTime.Value)), StringComparison.Ordinal)
                    && string.CompareOrdinal(day, first) >= 0 && string.CompareOrdinal(day, last) <= 0)
                    bytes += size;
            }
        }
        return bytes;
    }

    // The day folder an object's key is under (its delivery day, as AWS names folders).
    static DateOnly DayFolder(AthenaFlowTableDefinition t, string key, KeyMetadata meta)
    {
        var day = DateOnly.FromDateTime(meta.DeliveryTime!.Value);
        if (!key.StartsWith(t.DayPrefix(meta.AccountId!, meta.Region!, day), StringComparison.Ordinal))
            throw new InvalidOperationException($"{key} is not under its delivery day's folder");
        return day;
    }

    static string Meta(AthenaFlowTableDefinition t) => SqlText.Identifier($"objects_of_{t.Table}");

    static string? Text(object? v) => v switch
    {
        null => null,
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };

    static string AthenaType(string duck) => duck.ToUpperInvariant() switch
    {
        "BIGINT" or "HUGEINT" => "bigint",
        "INTEGER" => "integer",
        "BOOLEAN" => "boolean",
        "DOUBLE" => "double",
        "TIMESTAMP" => "timestamp",
        _ => "varchar",
    };

    static string Header(string file)
    {
        using var r = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress));
        return r.ReadLine() ?? "";
    }

    public void Dispose() => db.Dispose();

    [GeneratedRegex("""FROM "(?<db>[a-z0-9_]+)"\."(?<table>[a-z0-9_]+)"\s+WHERE "day_partition" >= '(?<first>[^']+)' AND "day_partition" <= '(?<last>[^']+)'""")]
    private static partial Regex TableRead();
}
