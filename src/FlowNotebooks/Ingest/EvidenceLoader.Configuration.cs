using System.Collections.Concurrent;
using System.Text.Json;
using FlowNotebooks.Formats;
using FlowNotebooks.Sources;
using FlowNotebooks.Sources.Compression;
using FlowNotebooks.Store;

namespace FlowNotebooks.Ingest;

public sealed partial class EvidenceLoader
{
    /// <summary>
    /// Loads describe-flow-logs into <c>flow_logs</c>, describe-network-interfaces into <c>interfaces</c>, and the
    /// evidence-window documents (describe-log-groups, a bucket state, a custody record) into their tables; the file is
    /// itself evidence (manifest row with SHA-256). Returns the flow-log configurations it held.
    /// </summary>
    IReadOnlyList<FlowLogConfig>? LoadConfiguration(EvidenceObject o, ConcurrentDictionary<string, byte> known, ProgressCounter counter, ConcurrentBag<int> ids,
        string? kind = null)
    {
        var sha = Sha256(o);
        byte[] bytes;
        using (var raw = o.OpenRead())
        {
            var (head, stream) = SniffedStream.Sniff(raw);
            using var text = SniffedStream.IsGzip(head) ? new GzipEvidenceStream(stream) : stream;
            using var ms = new MemoryStream();
            text.CopyTo(ms);
            bytes = ms.ToArray();
        }
        IReadOnlyList<FlowLogConfig>? configs = null;
        IReadOnlyList<NetworkInterface>? interfaces = null;
        (IReadOnlyList<LogGroupInfo> Groups, DateTime? At)? logGroups = null;
        BucketState? bucket = null;
        CustodyRecord? custody = null;
        string? error = null;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (kind == "log-groups") logGroups = LogGroupInfo.Parse(bytes);
            else if (kind == "bucket-state") bucket = BucketState.FromJson(bytes);
            else if (kind == "custody") custody = CustodyRecord.FromJson(bytes);
            else if (doc.RootElement.TryGetProperty("FlowLogs", out _)) configs = FlowLogConfig.FromElement(doc.RootElement);
            else interfaces = InterfaceInventory.FromElement(doc.RootElement);
        }
        catch (JsonException ex)
        {
            error = $"malformed JSON at line {(ex.LineNumber ?? 0) + 1}: {ex.Message.Split(" LineNumber:")[0]}";
        }
        if (!known.TryAdd(sha, 0))
        {
            counter.Duplicate(o.Size);
            return configs;
        }
        var id = Interlocked.Increment(ref nextEvidenceId);
        using var worker = new LoadWorker(new CaseWriter(store.NewConnection(), Path.GetTempPath()), counter);
        var load = new ObjectLoad(o, id, null, worker, options.Strict)
        {
            Sha256 = sha,
            Kind = kind ?? (configs is not null ? "flow-log-config" : "interface-inventory"),
        };
        try
        {
            if (error is not null)
            {
                load.Status = "malformed";
                load.Reject(0, error, bytes.AsSpan(0, Math.Min(300, bytes.Length)));
            }
            if (configs is not null) worker.Writer.WriteFlowLogs(configs, id);
            if (interfaces is not null) worker.Writer.WriteInterfaces(interfaces, id);
            if (logGroups is { } lg) worker.Writer.WriteLogGroups(lg.Groups, lg.At, id);
            if (bucket is not null) worker.Writer.WriteBucketState(bucket, id);
            if (custody is not null) worker.Writer.WriteCustody(custody, ManifestCheck(custody, o), id);
            worker.Complete(load, int.MaxValue);
            worker.Commit();
        }
        catch
        {
            worker.Rollback();
            throw;
        }
        ids.Add(id);
        counter.ObjectDone(o.Size, 0);
        return configs;
    }

    /// <summary>"verified" when the manifest beside a custody record still hashes to the SHA-256 it holds; else why not.</summary>
    static string ManifestCheck(CustodyRecord custody, EvidenceObject o)
    {
        if (o.LocalPath is null) return "not checked: the record was not read from a folder";
        return custody.VerifyManifest(Path.GetDirectoryName(Path.GetFullPath(o.LocalPath))!) is { } why ? $"FAILED: {why}" : "verified";
    }
}
