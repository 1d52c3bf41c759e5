using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using FlowNotebooks.Sources;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Sources.Compression;
using FlowNotebooks.Store;

namespace FlowNotebooks.Ingest;

/// <summary>
/// Loads evidence into a case: configuration first (describe-flow-logs, describe-network-interfaces), then flow objects
/// in parallel. Each object is hashed (SHA-256) before it is read; bytes already in the case are not loaded twice.
/// Every object gets a manifest row, every line that cannot be loaded a reject row, and the rest of the load goes on
/// (unless <see cref="IngestOptions.Strict"/>).
/// </summary>
public sealed partial class EvidenceLoader(CaseStore store, IngestOptions? options = null)
{
    readonly IngestOptions options = options ?? new IngestOptions();
    FormatResolver resolver = new();
    int nextEvidenceId;

    /// <summary>Loads files and directory trees.</summary>
    public IngestSummary Load(IEnumerable<string> paths, IProgress<IngestProgress>? progress = null, CancellationToken cancel = default)
    {
        var (objects, skipped) = LocalSource.Discover(paths);
        return Load(objects, progress, cancel) with { Skipped = skipped };
    }

    /// <summary>Loads evidence objects from any source.</summary>
    public IngestSummary Load(IReadOnlyList<EvidenceObject> objects, IProgress<IngestProgress>? progress = null, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        nextEvidenceId = store.Scalar<int?>("SELECT max(evidence_id) FROM evidence") ?? 0;
        var known = new ConcurrentDictionary<string, byte>(
            store.Query("SELECT DISTINCT sha256 FROM evidence").Rows.Select(r => new KeyValuePair<string, byte>((string)r[0]!, 0)));
        var seen = store.Query("SELECT sha256, object FROM evidence").Rows.Select(r => ((string)r[0]!, (string)r[1]!)).ToHashSet();
        var firstNames = store.Query("SELECT sha256, min(object) FROM evidence WHERE status <> 'duplicate' GROUP BY sha256").Rows
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);

        var counter = new ProgressCounter(objects.Count, objects.Sum(o => o.Size));
        var ids = new ConcurrentBag<int>();
        using var timer = progress is null ? null : new Timer(_ => progress.Report(counter.Snapshot()), null, 250, 250);

        // Configuration first: it decides formats and flow-log ids of what follows.
        var configs = new List<FlowLogConfig>();
        foreach (var path in options.ConfigFiles)
        {
            var o = EvidenceObject.ForFile(path, Path.GetFileName(path));
            if (LoadConfiguration(o, known, counter, ids) is { } c) configs.AddRange(c);
        }
        var flowObjects = new List<EvidenceObject>();
        foreach (var o in objects.Where(InWindow))
        {
            if (IsJson(o) && ConfigurationKind(o) is { } configKind)
            {
                try
                {
                    if (LoadConfiguration(o, known, counter, ids, configKind) is { } c) configs.AddRange(c);
                }
                finally
                {
                    o.Release?.Invoke();
                }
            }
            else flowObjects.Add(o);
        }
        configs.AddRange(StoredConfigs());
        resolver = new FormatResolver(configs, options.Format);

        // Hash everything first, then give evidence ids in name order: the same evidence always gets the same ids, and
        // among objects with the same bytes the first by name is the one read (the others are manifest rows only).
        List<(EvidenceObject Object, string? Sha, string? Unreadable)> hashed;
        try
        {
            hashed = flowObjects.AsParallel().AsOrdered().WithDegreeOfParallelism(Math.Max(1, options.Workers))
                .Select(Hash).ToList();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // A source that cannot be reached at all (S3 credentials expired, a fetch that failed after its retries) stops
            // the load before anything is written: every object after it would fail the same way. Say why in one message.
            var first = ex.InnerExceptions[0];
            throw first is FlowLoadException ? first : new FlowLoadException($"The load stopped: {first.Message}", first);
        }
        var plan = new List<ObjectPlan>();
        foreach (var (o, sha, unreadable) in hashed.OrderBy(h => h.Object.Name, StringComparer.Ordinal))
        {
            if (!seen.Add((sha ?? "", o.Name)))
            {
                counter.Duplicate(o.Size); // the same object again: nothing to add
                o.Release?.Invoke();
                continue;
            }
            var original = sha is null || firstNames.TryAdd(sha, o.Name);
            plan.Add(new ObjectPlan(o, sha ?? "", ++nextEvidenceId, original ? null : firstNames[sha!], unreadable));
        }
        var staging = Directory.CreateTempSubdirectory("flownb-staging-");
        // Loading 10^8 records must not grow with them: DuckDB would cache up to 80% of RAM. Queries get it back after.
        if (store.Path is not null) store.Execute($"SET memory_limit = {SqlText.Literal(options.MemoryLimit)}");
        // The lanes are the load's parallelism, so DuckDB runs each lane's inserts on the lane's own thread (threads 1).
        // An insert reads one staged file of one row group: a single task, which with DuckDB's worker threads beside the
        // lanes often ran on a worker while the lane's thread polled DuckDB's task queue for it (perf: ~16% of a corpus
        // load's CPU in that polling; the corpus load 16.5 s → 13.9 s in alternating runs). On one thread an insert
        // buffers 5 row groups per table before writing them (DuckDB's default), and a lane fills a table per layout:
        // with 1, the corpus load peaked at 1,208–1,272 MiB against 1,407–1,464 MiB, no slower. Queries get both back.
        var loadSettings = KeptSettings.Set(store, ("threads", 1), ("write_buffer_row_group_count", 1));
        try
        {
            // Hour by hour of delivery, larger objects first within an hour (the lanes end together): each records table
            // then holds an hour's records in neighbouring row groups, and counting a range of hours reads only those
            // (DuckDB skips a row group whose start times lie outside the range). Loaded largest first, every row group
            // held records of every day, and no range could skip any.
            var queue = new ConcurrentQueue<ObjectPlan>(plan.Select(p => (Plan: p, Hour: DeliveryHour(p.Object))).OrderBy(p => p.Hour)
                .ThenByDescending(p => p.Hour == DateTime.MinValue ? 0 : p.Plan.Object.Size).ThenBy(p => p.Plan.EvidenceId).Select(p => p.Plan));
            var failures = new ConcurrentQueue<Exception>();
            var workers = Enumerable.Range(0, Math.Max(1, options.Workers)).Select(index => Task.Run(() =>
            {
                using var worker = new LoadWorker(new CaseWriter(store.NewConnection(), staging.FullName, index), counter);
                try
                {
                    while (!cancel.IsCancellationRequested && failures.IsEmpty && queue.TryDequeue(out var p))
                    {
                        var o = p.Object;
                        try
                        {
                            var load = new ObjectLoad(o, p.EvidenceId, o.Key.FlowLogId, worker, options.Strict) { Sha256 = p.Sha };
                            if (p.SameBytesAs is { } first)
                            {
                                // Collected, so in the manifest; its records are already in the case under the first name.
                                load.Status = "duplicate";
                                load.Note($"same bytes (SHA-256) as {first}");
                                counter.Duplicate(o.Size);
                            }
                            else
                            {
                                worker.Reading(o.Name);
                                if (p.Unreadable is { } why) load.Failed(why);
                                else ReadFlowObject(o, load);
                                counter.ObjectDone(o.Size, load.Records);
                            }
                            worker.Complete(load, options.CommitRows);
                            ids.Add(load.EvidenceId);
                        }
                        finally
                        {
                            o.Release?.Invoke();
                        }
                    }
                    worker.Commit();
                }
                catch (Exception ex)
                {
                    worker.Rollback();
                    failures.Enqueue(ex);
                }
            }, cancel)).ToArray();
            Task.WaitAll(workers, CancellationToken.None);
            if (failures.TryDequeue(out var failure))
                throw failure is FlowLoadException ? failure : new FlowLoadException($"The load stopped: {failure.Message}"
                    + (failure.Message.Contains("Out of Memory", StringComparison.OrdinalIgnoreCase)
                        ? $" Loads run under a DuckDB memory limit of {options.MemoryLimit}; objects of millions of records may need more: set FLOWNB_MEMORY_LIMIT (e.g. 4GB) and load again (objects already loaded are skipped by SHA-256)."
                        : ""), failure);
            cancel.ThrowIfCancellationRequested();
            store.RefreshFlowsView();
        }
        finally
        {
            staging.Delete(recursive: true);
            if (store.Path is not null) store.Execute($"SET memory_limit = {SqlText.Literal(CaseStore.DefaultMemoryLimit)}");
            loadSettings.Dispose();
        }
        var snapshot = counter.Snapshot(finished: true);
        progress?.Report(snapshot);
        return Summarize(ids.Order().ToList(), snapshot.Duplicates, snapshot.BytesDone, clock.Elapsed);
    }

    /// <param name="Unreadable">Why the object could not even be hashed (its bytes are unknown: a manifest row says so).</param>
    sealed record ObjectPlan(EvidenceObject Object, string Sha, int EvidenceId, string? SameBytesAs, string? Unreadable);

    static (EvidenceObject Object, string? Sha, string? Unreadable) Hash(EvidenceObject o)
    {
        try
        {
            return (o, Sha256(o), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // One local file that cannot be read (permissions, a disk error) is that object's problem, not the load's.
            return (o, null, ex.Message);
        }
    }

    /// <summary>The hour an object was delivered in, from its key (Security Lake's day); none for a key that tells none
    /// (a CloudWatch export, a file an analyst named): those load first, in name order (CloudWatch pages are numbered in
    /// the order the API returned them, oldest events first).</summary>
    static DateTime DeliveryHour(EvidenceObject o) =>
        (o.Key.DeliveryTime ?? o.Key.EventDay) is { } t ? new DateTime(t.Ticks - t.Ticks % TimeSpan.TicksPerHour, t.Kind) : DateTime.MinValue;

    bool InWindow(EvidenceObject o)
    {
        if (o.Key.EventDay is { } day) return S3KeyLayout.DayCanHold(day, options.From, options.To);
        if (o.Key.DeliveryTime is not { } t) return true;
        // An object stamped T holds records whose end falls in [T, T+5 min) (or the hour, per-hour objects keep the same stamp rule).
        if (options.From is { } from && t.AddHours(1) <= from) return false;
        if (options.To is { } to && t >= to) return false;
        return true;
    }

    /// <summary>
    /// Reads one flow object into its load. Whatever goes wrong that is the object's own doing (an I/O error, a file its
    /// reader cannot decode, a column type never seen, a decompression bomb) fails that object only: its manifest row
    /// says unreadable and why, naming it, and the load goes on. Store failures, strict mode, cancellation and an AWS
    /// source that stopped answering still stop the load (they are no fault of the object, and would recur).
    /// </summary>
    void ReadFlowObject(EvidenceObject o, ObjectLoad load)
    {
        Stream? raw = null;
        try
        {
            raw = o.OpenRead();
            var (head, stream) = SniffedStream.Sniff(raw);
            raw = stream;
            if (head.Length == 0)
            {
                load.Status = "empty";
                load.Reject(0, "empty object (0 bytes)", default);
                return;
            }
            if (head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'A' && head[2] == (byte)'R' && head[3] == (byte)'1')
            {
                load.Kind = "flow-parquet";
                load.Kind = ParquetFlowReader.Read(stream, load, KeyContext(o));
                return;
            }
            var text = SniffedStream.IsGzip(head) ? new GzipEvidenceStream(stream) : stream;
            var (textHead, textStream) = SniffedStream.Sniff(text);
            raw = textStream;
            if (SniffedStream.LooksLikeJson(textHead))
            {
                load.Kind = "cloudwatch-json";
                var fileStream = Path.GetFileName(o.Name);
                var streamName = fileStream.StartsWith("eni-", StringComparison.Ordinal) ? fileStream.Split('.')[0] : null;
                CloudWatchJsonReader.Read(textStream, load, resolver, LogGroupOf(o), streamName,
                    flowLogFromKey: o.Key.FlowLogId is not null);
                return;
            }
            load.Kind = "flow-text";
            var export = IsExportTask(o);
            // An export task's folder is its log stream, a folder above it its log group; an S3 delivery's key stamp
            // bounds records without start/end.
            var context = export ? CloudWatchJsonReader.StreamContext(Path.GetFileName(Path.GetDirectoryName(o.FiledAs))) : KeyContext(o);
            if (export)
            {
                // Its records are the group's, as the group's pages are: the same flow log (the interface's, when
                // several write to the group) and so the same capture.
                load.LogGroup ??= LogGroupOf(o);
                if (load.FlowLogId is null && resolver.FlowLogIdForGroup(load.LogGroup, context?.Interface) is { } id) load.FlowLogId = id;
            }
            load.LogGroup ??= options.LogGroup;
            TextFlowReader.Read(textStream, load, resolver.Resolve(load.FlowLogId, load.LogGroup), exportTimestamps: export, context);
        }
        catch (Exception ex) when (ex is not (FlowLoadException or OperationCanceledException or AwsAcquisitionException))
        {
            load.Failed(ex);
        }
        finally
        {
            raw?.Dispose();
        }
    }

    /// <summary>The log group of a CloudWatch page or export: the one given, else a folder it was filed under that a flow
    /// log writes to (a page passed alone, by a shell glob, still has its folders on disk).</summary>
    string? LogGroupOf(EvidenceObject o) => options.LogGroup ?? resolver.LogGroupInPath(o.FiledAs);

    /// <summary>The time bound an S3 key's delivery stamp gives records without start/end (5 minutes, or the hour for per-hour keys).</summary>
    static RecordContext? KeyContext(EvidenceObject o) =>
        o.Key.DeliveryTime is { } stamp
            ? new RecordContext { Time = TimeBound.FromS3Stamp(stamp, hourly: o.Key.Layout is KeyLayout.DefaultPerHour or KeyLayout.HivePerHour) }
            : null;

    /// <summary>CloudWatch export tasks write <c>{prefix}/{taskId}/{stream}/000000.gz</c> with a timestamp before each message.</summary>
    static bool IsExportTask(EvidenceObject o) =>
        System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(o.Name), @"^\d{6}\.gz$");

    static bool IsJson(EvidenceObject o) =>
        o.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || o.Name.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>"flow-log-config", "interface-inventory", "log-groups", "bucket-state" or "custody" when a JSON object is
    /// AWS configuration or a collection's record, else null.</summary>
    static string? ConfigurationKind(EvidenceObject o)
    {
        using var raw = o.OpenRead();
        var (head, stream) = SniffedStream.Sniff(raw, 4096);
        using var text = SniffedStream.IsGzip(head) ? new GzipEvidenceStream(stream) : stream;
        var (h, _) = SniffedStream.Sniff(text, 4096);
        var s = System.Text.Encoding.UTF8.GetString(h);
        if (s.Contains("\"FlowLogs\"", StringComparison.Ordinal)) return "flow-log-config";
        if (s.Contains("\"NetworkInterfaces\"", StringComparison.Ordinal)) return "interface-inventory";
        if (s.Contains("\"logGroups\"", StringComparison.Ordinal)) return "log-groups";
        if (s.Contains(BucketState.Marker, StringComparison.Ordinal)) return "bucket-state";
        if (s.Contains(CustodyRecord.Marker, StringComparison.Ordinal)) return "custody";
        return null;
    }

    // With the resource each flow log captures: of the flow logs writing to one log group, the record's interface picks its own.
    IReadOnlyList<FlowLogConfig> StoredConfigs() =>
        store.Query("SELECT flow_log_id, log_format, log_group_name, resource_id FROM flow_logs").Rows
            .Select(r => new FlowLogConfig((string)r[0]!, (string?)r[3], null, null, null, (string?)r[2], (string)r[1]!, null, null, false, false, null, null, null))
            .ToList();

    internal static string Sha256(EvidenceObject o)
    {
        using var s = o.OpenRead();
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    IngestSummary Summarize(IReadOnlyList<int> ids, int duplicates, long bytes, TimeSpan elapsed)
    {
        if (ids.Count == 0)
            return new IngestSummary { Duplicates = duplicates, Bytes = bytes, Elapsed = elapsed };
        object?[] range = [ids.Min(), ids.Max()];
        var totals = store.Query("SELECT count(*) FILTER (WHERE status <> 'duplicate'), coalesce(sum(records),0)::BIGINT, coalesce(sum(rejected),0)::BIGINT, min(first_time), max(last_time), coalesce(sum(implausible_times),0)::BIGINT FROM evidence WHERE evidence_id BETWEEN $1 AND $2", range).Rows[0];
        var bounded = store.Query("SELECT time_source, count(*), max(time_bound_seconds) FROM flows WHERE evidence_id BETWEEN $1 AND $2 AND time_bound_seconds IS NOT NULL GROUP BY ALL ORDER BY 1", range)
            .Rows.Select(r => ((string)r[0]!, Convert.ToInt64(r[1]), Convert.ToInt64(r[2]))).ToList();
        var reasons = store.Query($"""
            SELECT {RejectReasonGroups.Sql("reason")} AS r, count(*) FROM rejects WHERE evidence_id BETWEEN $1 AND $2
            GROUP BY r ORDER BY count(*) DESC, r LIMIT 20
            """, range).Rows.Select(r => ((string)r[0]!, Convert.ToInt64(r[1]))).ToList();
        var formats = store.Query("SELECT format, count(*) FROM evidence WHERE evidence_id BETWEEN $1 AND $2 AND format IS NOT NULL GROUP BY format ORDER BY count(*) DESC, format", range)
            .Rows.Select(r => ((string)r[0]!, Convert.ToInt64(r[1]))).ToList();
        var interfaces = store.Scalar<long>("SELECT count(DISTINCT interface_id) FROM flows WHERE evidence_id BETWEEN $1 AND $2", range);
        var firstRejects = store.Query("SELECT object, line, reason, coalesce(raw, '') FROM rejects WHERE evidence_id BETWEEN $1 AND $2 ORDER BY evidence_id, line LIMIT 10", range)
            .Rows.Select(r => new Reject((string)r[0]!, Convert.ToInt64(r[1]), (string)r[2]!, (string)r[3]!)).ToList();
        return new IngestSummary
        {
            Objects = Convert.ToInt32(totals[0]),
            Duplicates = duplicates,
            Records = Convert.ToInt64(totals[1]),
            Rejects = Convert.ToInt64(totals[2]),
            FirstTime = totals[3] as DateTime?,
            LastTime = totals[4] as DateTime?,
            ImplausibleTimes = Convert.ToInt64(totals[5]),
            BoundedTimes = bounded,
            RejectReasons = reasons,
            FirstRejects = firstRejects,
            Formats = formats,
            Interfaces = interfaces,
            Bytes = bytes,
            Elapsed = elapsed,
            EvidenceIds = ids,
        };
    }
}
