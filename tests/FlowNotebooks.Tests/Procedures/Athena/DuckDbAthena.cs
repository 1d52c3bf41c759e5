using System.Globalization;
using System.IO.Compression;
using FlowNotebooks.Formats;
using FlowNotebooks.Procedures.Athena;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Procedures.Athena;

/// <summary>
/// Athena stood in by a local DuckDB: a generated case's S3 text objects as tables the way AWS's DDL names their columns
/// (one per log format, '-' as NULL in number columns like LazySimpleSerDe, <c>"$path"</c> the object's S3 URI,
/// <c>day</c> the key's date partition), and the statements run as sent, with the shim macros for the Trino functions.
/// </summary>
public sealed class DuckDbAthena : IAthenaQueries, IDisposable
{
    readonly CaseStore db = CaseStore.Open();
    int next;

    public DuckDbAthena(string caseFolder)
    {
        db.Execute(AthenaDialect.ShimMacros);
        var files = Directory.GetFiles(Path.Combine(caseFolder, "s3"), "*.log.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var byFormat = files.GroupBy(Header, StringComparer.Ordinal).ToList();
        var s3Root = Path.GetFullPath(Path.Combine(caseFolder, "s3")) + Path.DirectorySeparatorChar;
        for (var i = 0; i < byFormat.Count; i++)
        {
            var format = FlowLogFormat.FromHeader(System.Text.Encoding.ASCII.GetBytes(byFormat[i].Key));
            var columns = format.Fields.Select(f => f.Kind is FieldKind.Text or FieldKind.Address
                ? $"\"{f.Name}\" AS {AthenaFlowSource.TableColumn(f.Name)}"
                : $"TRY_CAST(\"{f.Name}\" AS {AthenaFlowSource.SqlType(f.Kind)}) AS {AthenaFlowSource.TableColumn(f.Name)}");
            var list = string.Join(", ", byFormat[i].Select(f => SqlText.Literal(f)));
            db.Execute($"""
                CREATE VIEW flow_logs_{i} AS
                SELECT {string.Join(", ", columns)},
                       's3://' || replace(filename, {SqlText.Literal(s3Root)}, '') AS "$path",
                       regexp_extract(filename, '/([0-9]{"{4}"}/[0-9]{"{2}"}/[0-9]{"{2}"})(/[0-9]{"{2}"})?/[^/]+$', 1) AS day
                FROM read_csv([{list}], delim = ' ', header = true, all_varchar = true, filename = true, auto_detect = false,
                              columns = {"{"}{string.Join(", ", format.Fields.Select(f => $"'{f.Name}': 'VARCHAR'"))}{"}"})
                """);
            Sources.Add(new AthenaFlowSource(new DayTable("main", $"flow_logs_{i}", byFormat[i].ToList()), format, []));
        }
    }

    /// <summary>One source per log format found.</summary>
    public List<AthenaFlowSource> Sources { get; } = [];

    /// <summary>Every statement received, in order.</summary>
    public List<AthenaQueryRequest> Received { get; } = [];

    public Task<AthenaQueryOutcome> RunAsync(AthenaQueryRequest request, CancellationToken cancellationToken)
    {
        Received.Add(request);
        var r = db.Query(request.Sql);
        var columns = r.Columns.Select((c, i) => new AthenaColumn(c, AthenaType(r.Types[i]))).ToList();
        // Athena's bigint: DuckDB sums BIGINT into HUGEINT.
        var rows = r.Rows.Select(row => row.Select(v => v is System.Numerics.BigInteger b ? (object?)(long)b : v).ToArray()).ToList();
        return Task.FromResult(new AthenaQueryOutcome($"duckdb-{++next:D4}", request.Sql, columns, rows, 0, 0));
    }

    static string AthenaType(string duck) => duck.ToUpperInvariant() switch
    {
        "BIGINT" or "HUGEINT" => "bigint",
        "INTEGER" => "integer",
        "BOOLEAN" => "boolean",
        "DOUBLE" => "double",
        _ => "varchar",
    };

    static string Header(string file)
    {
        using var r = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress));
        return r.ReadLine()!;
    }

    public void Dispose() => db.Dispose();

    /// <summary>A table partitioned by <c>day</c> ('yyyy/MM/dd'), padded by a day on each side as the contract says.</summary>
    sealed class DayTable(string database, string table, IReadOnlyList<string> files) : IAthenaFlowTable
    {
        public string Database => database;
        public string Table => table;

        public string PartitionPredicate(DateTimeOffset from, DateTimeOffset to, AthenaEngine engine) =>
            $"day BETWEEN '{from.UtcDateTime.AddDays(-1).ToString("yyyy/MM/dd", CultureInfo.InvariantCulture)}' AND '{to.UtcDateTime.AddDays(1).ToString("yyyy/MM/dd", CultureInfo.InvariantCulture)}'";

        public Task<AthenaScanEstimate> EstimateScanAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            Task.FromResult(new AthenaScanEstimate(files.Sum(f => new FileInfo(f).Length), files.Count, [table]));
    }
}
