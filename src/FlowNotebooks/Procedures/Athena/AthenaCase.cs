using System.Globalization;
using System.IO.Compression;
using System.Text;
using FlowNotebooks.Ingest;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures.Athena;

/// <summary>
/// Fills a local case from Athena for a window, so every procedure then runs on it with the same code as on a loaded case:
/// the rollups (<see cref="RemoteRollups"/>) become the tables the counting core would have derived from every record
/// (<c>interface_hours</c>, <c>capture_minutes</c>, <c>interface_own_address</c>), and the records of the capture that counts
/// per interface-hour come back as objects named by their S3 key (<c>"$path"</c>), loaded like any evidence; the per-record
/// decisions (whose copy counts, exact copies, NAT legs) then run locally from those tables. The case's inventory
/// (describe-network-interfaces, describe-flow-logs) is loaded into the store beforehand, as for any case.
/// </summary>
public sealed class AthenaCase(IAthenaQueries queries, IReadOnlyList<AthenaFlowSource> sources, AthenaEngine engine,
    string workGroup, string? outputLocation)
{
    /// <summary>What the evidence table holds as the SHA-256 of an object Athena read in place (its bytes never reached the case).</summary>
    public const string NotFetched = "not fetched: read in place by Athena";

    /// <summary>Every statement a run over [<paramref name="from"/>, <paramref name="to"/>) sends, without sending any: the
    /// records statement's list of counted captures depends on the <c>capture_minutes</c> result, so here it is empty.</summary>
    public IReadOnlyList<RemoteStatement> Statements(DateTime from, DateTime to)
    {
        var w = new RemoteWindow(from, to);
        return [RemoteRollups.Objects(sources, engine, w), .. RemoteRollups.Rollups(sources, engine, w, []), RemoteRollups.Records(sources, engine, w, [], [])];
    }

    /// <summary>Runs the statements and fills <paramref name="store"/> (which holds the inventory) for the window; the
    /// fetched records are written under <paramref name="workFolder"/> by S3 key. Returns each query as it ran.</summary>
    public async Task<IReadOnlyList<AthenaQueryRecord>> FillAsync(CaseStore store, DateTime from, DateTime to, string workFolder,
        CancellationToken cancel = default)
    {
        var w = new RemoteWindow(from, to);
        var ran = new List<AthenaQueryRecord>();
        var results = new Dictionary<string, AthenaQueryOutcome>(StringComparer.Ordinal);
        var objects = results["athena_objects"] = await Run(RemoteRollups.Objects(sources, engine, w), ran, cancel).ConfigureAwait(false);
        var copies = Redelivered(objects);
        foreach (var s in RemoteRollups.Rollups(sources, engine, w, copies.Keys))
            results[s.Name] = await Run(s, ran, cancel).ConfigureAwait(false);

        // Which capture counts per interface-hour is decided here, by the local definition, from the remote minutes.
        LoadCaptureMinutes(store, results["capture_minutes"]);
        store.Execute(CountedFlows.CountedCaptures.Sql);
        var counted = Runs(store.Query("SELECT interface_id, capture, hour_no FROM counted_captures ORDER BY 1, 2, 3").Rows);
        var records = await Run(RemoteRollups.Records(sources, engine, w, copies.Keys, counted), ran, cancel).ConfigureAwait(false);

        var names = WriteObjects(workFolder, objects, records, copies);
        new EvidenceLoader(store).Load([workFolder]);
        MarkObjects(store, names, objects, copies);
        // Builds every derived table from the fetched records and records the case state; the tables the rollups give are
        // then replaced by them and everything built on them rebuilt (the same statements, in the same order).
        CountedFlows.EnsureCurrent(store);
        Replace(store, results);
        Rebuild(store, ran);
        SaveQueries(store, ran);
        return ran;
    }

    async Task<AthenaQueryOutcome> Run(RemoteStatement s, List<AthenaQueryRecord> ran, CancellationToken cancel)
    {
        var checkedStatement = RemoteRollups.Checked(s);
        // One token per statement of this run: the client's retries reuse it (the same query on Athena), while a later run
        // of the same text is a new query, not an earlier run's answer.
        var token = AthenaClient.NewClientRequestToken();
        var outcome = await queries.RunAsync(new AthenaQueryRequest(checkedStatement.Sql, workGroup, sources[0].Table.Database, outputLocation, [], token), cancel)
            .ConfigureAwait(false);
        ran.Add(new AthenaQueryRecord(s.Name, engine, outcome.QueryExecutionId, outcome.StatementAsRun, outcome.DataScannedBytes,
            outcome.EngineExecutionMillis, outcome.Rows.Count));
        return outcome;
    }

    // An object whose figures (records, time span, sums of bytes, starts and ends) repeat an earlier-named object's is a
    // copy (a redelivery, or a second flow log delivering the same bytes): copy → original. Locally the loader finds such copies by their SHA-256; Athena cannot
    // hash objects, so the figures stand in for the bytes.
    static Dictionary<string, string> Redelivered(AthenaQueryOutcome objects)
    {
        var at = objects.Columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        string Figures(object?[] r) => string.Join("/", new[] { "records", "first_start", "last_end", "bytes", "start_sum", "end_sum" }
            .Select(c => Convert.ToString(r[at[c]], CultureInfo.InvariantCulture)));
        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var same in objects.Rows.GroupBy(Figures, StringComparer.Ordinal))
        {
            var names = same.Select(r => (string)r[at["object"]]!).Order(StringComparer.Ordinal).ToList();
            foreach (var copy in names.Skip(1)) copies[copy] = names[0];
        }
        return copies;
    }

    // Consecutive hours of one interface with the same counted capture become one run (the statement stays short).
    static List<RemoteRollups.CountedRun> Runs(IReadOnlyList<object?[]> rows)
    {
        var runs = new List<RemoteRollups.CountedRun>();
        foreach (var r in rows)
        {
            var (eni, capture, hour) = ((string)r[0]!, (string)r[1]!, Convert.ToInt64(r[2], CultureInfo.InvariantCulture));
            if (runs.Count > 0 && runs[^1] is { } last && last.InterfaceId == eni && last.Capture == capture && last.LastHour == hour - 1)
                runs[^1] = last with { LastHour = hour };
            else runs.Add(new(eni, capture, hour, hour));
        }
        return runs;
    }

    static void LoadCaptureMinutes(CaseStore store, AthenaQueryOutcome o)
    {
        AthenaRows.Load(store, "fnb_athena_capture_minutes", o);
        store.Execute("""
            CREATE OR REPLACE TABLE capture_minutes AS
            SELECT interface_id, capture, minute::BIGINT AS minute, skipped, logged, records::BIGINT AS records FROM fnb_athena_capture_minutes
            """);
    }

    static void Replace(CaseStore store, Dictionary<string, AthenaQueryOutcome> results)
    {
        LoadCaptureMinutes(store, results["capture_minutes"]);
        AthenaRows.Load(store, "fnb_athena_interface_hours", results["interface_hours"]);
        store.Execute("""
            CREATE OR REPLACE TABLE interface_hours AS
            SELECT interface_id, flow_log_id, make_timestamp(hour_s * 1000000) AS hour, records::BIGINT AS records, ok::BIGINT AS ok,
                   nodata::BIGINT AS nodata, skipdata::BIGINT AS skipdata, bytes::BIGINT AS bytes,
                   make_timestamp(first_start * 1000000) AS first_start, make_timestamp(last_start * 1000000) AS last_start,
                   make_timestamp(last_end * 1000000) AS last_end, has_pkt, relays, vpc_id, subnet_id, instance_id
            FROM fnb_athena_interface_hours
            """);
        AthenaRows.Load(store, "fnb_athena_own_address", results["interface_own_address"]);
        store.Execute("""
            CREATE OR REPLACE TABLE interface_own_address AS
            SELECT interface_id, ip FROM fnb_athena_own_address
            WHERE interface_id NOT IN (SELECT interface_id FROM interfaces WHERE interface_id IS NOT NULL)
            """);
    }

    // The counting core's whole build after the tables the rollups replaced; the audit record of every run states how the
    // derived tables were built: the statements Athena ran, then the local ones.
    static void Rebuild(CaseStore store, List<AthenaQueryRecord> ran) =>
        CountedFlows.BuildWhole(store,
            new HashSet<ProcedureQuery> { CountedFlows.InterfaceHours, CountedFlows.SkipData, CountedFlows.OwnAddressGuess, CountedFlows.CaptureMinutes },
            ran.Select(r => ($"-- {r.Name}: {AthenaQueryRecord.EngineName(r.Engine)}, query execution id {r.QueryExecutionId}, "
                + $"{r.DataScannedBytes.ToString(CultureInfo.InvariantCulture)} bytes scanned\n{r.Statement}", Array.Empty<object?>())).ToList(),
            null, null);

    static void SaveQueries(CaseStore store, IReadOnlyList<AthenaQueryRecord> ran)
    {
        store.Execute("""
            CREATE OR REPLACE TABLE athena_queries (name VARCHAR, engine VARCHAR, query_execution_id VARCHAR, statement VARCHAR,
              data_scanned_bytes BIGINT, engine_millis BIGINT, result_rows BIGINT)
            """);
        foreach (var r in ran)
            store.Execute("INSERT INTO athena_queries VALUES ($1, $2, $3, $4, $5, $6, $7)",
                r.Name, AthenaQueryRecord.EngineName(r.Engine), r.QueryExecutionId, r.Statement, r.DataScannedBytes, r.EngineMillis, (long)r.Rows);
    }

    // Each S3 object the window read, as a file under its key holding the fetched records in its source's format: the
    // object as the loader will name it → its s3 URI.
    Dictionary<string, string> WriteObjects(string folder, AthenaQueryOutcome objects, AthenaQueryOutcome records, Dictionary<string, string> copies)
    {
        var index = records.Columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var byObject = records.Rows.GroupBy(r => (string)r[index["object"]]!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var oi = objects.Columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in objects.Rows)
        {
            var uri = (string)o[oi["object"]]!;
            var source = sources[Convert.ToInt32(o[oi["source_no"]], CultureInfo.InvariantCulture)];
            var local = Path.Combine(folder, LocalKey(uri));
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            using (var gz = new GZipStream(File.Create(local), CompressionLevel.Fastest))
            using (var w = new StreamWriter(gz, new UTF8Encoding(false)) { NewLine = "\n" })
            {
                w.WriteLine(source.Format.Signature);
                foreach (var row in byObject.GetValueOrDefault(uri) ?? [])
                    w.WriteLine(string.Join(' ', source.Format.Fields.Select(fld => Text(row[index[AthenaFlowSource.Alias(fld)]]))));
            }
            // The loader names an object by its path under the folder loaded: bucket/key.
            paths[LocalKey(uri).Replace(Path.DirectorySeparatorChar, '/')] = uri;
        }
        // A redelivered copy holds the same bytes as its original, so the loader marks it a duplicate as it would locally.
        foreach (var (copy, original) in copies)
            File.Copy(Path.Combine(folder, LocalKey(original)), Path.Combine(folder, LocalKey(copy)), overwrite: true);
        return paths;
    }

    static string Text(object? v) => v switch
    {
        null => "-",
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "-",
    };

    // s3://bucket/key → bucket/key (a path inside the work folder; '..' segments are refused).
    internal static string LocalKey(string uri)
    {
        var rest = uri.StartsWith("s3://", StringComparison.Ordinal) ? uri[5..] : uri.TrimStart('/');
        var parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p is "." or ".."))
            throw new InvalidDataException($"Athena named an object '{uri}' that is not an S3 key.");
        return Path.Combine(parts);
    }

    // The objects as the case names them: their S3 URI, marked as not fetched, with Athena's count and time span of the
    // window's records in them (the files hold only the records fetched).
    static void MarkObjects(CaseStore store, Dictionary<string, string> paths, AthenaQueryOutcome objects, Dictionary<string, string> copies)
    {
        AthenaRows.Load(store, "fnb_athena_objects", objects);
        // Objects none of whose records were fetched are files of a header alone, the same bytes: only the copies found
        // above are duplicates.
        foreach (var (local, uri) in paths.Where(p => !copies.ContainsKey(p.Value)))
            store.Execute("UPDATE evidence SET status = 'complete', notes = NULL WHERE object = $1 AND status = 'duplicate'", local);
        foreach (var (local, uri) in paths)
            store.Execute("""
                UPDATE evidence SET object = o.object, sha256 = $2, records = o.records,
                       first_time = make_timestamp(o.first_start * 1000000), last_time = make_timestamp(o.last_end * 1000000)
                FROM fnb_athena_objects o WHERE o.object = $1 AND evidence.object = $3 AND evidence.status <> 'duplicate'
                """, uri, NotFetched, local);
        foreach (var (local, uri) in paths)
            store.Execute("UPDATE evidence SET object = $1, sha256 = $2 WHERE object = $3", uri, NotFetched, local);
    }
}
