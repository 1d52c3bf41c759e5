using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using FlowNotebooks.Sources.Compression;

namespace FlowNotebooks.Sources;

/// <summary>
/// Reads flow-log records out of CloudWatch Logs JSON: <c>aws logs filter-log-events</c> and <c>get-log-events</c>
/// output (one or many pages, back to back or as an array), subscription payloads (<c>DATA_MESSAGE</c>, gzip'ed as
/// Firehose writes them to S3, possibly concatenated), and Firehose HTTP envelopes (<c>records[].data</c>).
/// The log stream name is the interface; the record number is the event's position in the object.
/// </summary>
internal static class CloudWatchJsonReader
{
    /// <summary>Largest JSON object read into memory.</summary>
    public const long MaxJsonBytes = 2L << 30;

    /// <param name="flowLogFromKey">The object's key named its flow log: log groups then never override it.</param>
    public static void Read(Stream json, IRecordSink load, FormatResolver resolver, string? logGroup, string? fallbackStream, bool flowLogFromKey = false)
    {
        load.LogGroup ??= logGroup;
        using var bytes = ReadAll(json);
        var state = new State(load, resolver, logGroup, fallbackStream, flowLogFromKey);
        ReadValues(bytes.Span, state, "");
        if (state.Events == 0 && load.RejectCount == 0)
        {
            load.Status = "empty";
            load.Reject(0, "no log events in the JSON", default);
        }
    }

    sealed class State(IRecordSink load, FormatResolver resolver, string? logGroup, string? fallbackStream, bool flowLogFromKey)
    {
        public IRecordSink Load { get; } = load;
        public bool FlowLogFromKey { get; } = flowLogFromKey;
        public FormatResolver Resolver { get; } = resolver;
        public string? LogGroup { get; set; } = logGroup;
        public string? FallbackStream { get; } = fallbackStream;
        public long Events { get; set; }

        // A page holds thousands of events of a few streams: the last stream's name, and what it tells, are kept rather
        // than read and worked out again per event.
        byte[] lastStreamUtf8 = [];
        string? lastStream;
        (string? Stream, string? Owner, RecordContext Context) lastContext = (null, null, new RecordContext());

        /// <summary>The event's <c>logStreamName</c> (the same string as the previous event's when it is the same name).</summary>
        public string? StreamOf(JsonElement e)
        {
            if (!e.TryGetProperty("logStreamName", out var v) || v.ValueKind != JsonValueKind.String) return null;
            if (lastStream is null || !v.ValueEquals(lastStreamUtf8))
            {
                lastStream = v.GetString()!;
                lastStreamUtf8 = Encoding.UTF8.GetBytes(lastStream);
            }
            return lastStream;
        }

        /// <summary>What a stream's name and the payload's owner tell about its records.</summary>
        public RecordContext ContextOf(string? stream, string? owner)
        {
            if (!ReferenceEquals(stream, lastContext.Stream) || !ReferenceEquals(owner, lastContext.Owner))
                lastContext = (stream, owner, StreamContext(stream) with { Account = owner });
            return lastContext.Context;
        }
    }

    static void ReadValues(ReadOnlySpan<byte> bytes, State state, string where)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip });
        while (true)
        {
            JsonDocument doc;
            try
            {
                if (!reader.Read()) break;
                doc = JsonDocument.ParseValue(ref reader);
            }
            catch (JsonException ex)
            {
                state.Load.Status = "malformed";
                var line = (ex.LineNumber ?? 0) + 1;
                state.Load.Reject(line, $"malformed JSON{where} at line {line}, byte {ex.BytePositionInLine + 1}: {ex.Message.Split(" LineNumber:")[0]}",
                    Excerpt(bytes, line));
                return;
            }
            using (doc) ReadDocument(doc.RootElement, state);
        }
    }

    static void ReadDocument(JsonElement root, State state)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in root.EnumerateArray()) ReadDocument(item, state);
            return;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            state.Load.Reject(0, $"unexpected JSON {root.ValueKind} where a CloudWatch Logs object was expected", default);
            return;
        }
        if (root.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array)
        {
            // filter-log-events carries logStreamName per event; get-log-events does not (the stream comes from the file name).
            foreach (var e in events.EnumerateArray())
                Event(state, e, state.StreamOf(e) ?? state.FallbackStream);
        }
        else if (root.TryGetProperty("logEvents", out var logEvents) && logEvents.ValueKind == JsonValueKind.Array)
        {
            if (Str(root, "messageType") == "CONTROL_MESSAGE")
            {
                state.Load.Note("CloudWatch CONTROL_MESSAGE payloads skipped (destination health checks)");
                return;
            }
            // The payload names its capture (log group), its stream (the interface or attachment) and its account (owner).
            state.LogGroup = Str(root, "logGroup") ?? state.LogGroup;
            state.Load.LogGroup = state.LogGroup;
            var owner = Str(root, "owner");
            if (owner is not null) state.Load.Owner ??= owner;
            var stream = Str(root, "logStream");
            foreach (var e in logEvents.EnumerateArray())
                Event(state, e, stream, owner);
        }
        else if (root.TryGetProperty("records", out var records) && records.ValueKind == JsonValueKind.Array)
        {
            var n = 0;
            foreach (var r in records.EnumerateArray())
            {
                n++;
                if (Str(r, "data") is not { } data) continue;
                PooledBytes payload;
                try
                {
                    var decoded = Convert.FromBase64String(data);
                    payload = SniffedStream.IsGzip(decoded) ? ReadAll(new GzipEvidenceStream(new MemoryStream(decoded))) : PooledBytes.Of(decoded);
                }
                catch (Exception ex) when (ex is FormatException or InvalidDataException)
                {
                    state.Load.Reject(n, $"Firehose record {n}: data is not base64 gzip JSON ({ex.Message})", Encoding.UTF8.GetBytes(data[..Math.Min(200, data.Length)]));
                    continue;
                }
                using (payload) ReadValues(payload.Span, state, $" in Firehose record {n}");
            }
        }
        else if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
        {
            Event(state, root, Str(root, "logStreamName") ?? Str(root, "logStream") ?? state.FallbackStream);
        }
        else
        {
            state.Load.Reject(0, "JSON object is not CloudWatch Logs output (no events, logEvents, records or message)", default);
        }
    }

    static void Event(State state, JsonElement e, string? stream, string? owner = null)
    {
        state.Events++;
        var number = state.Events;
        if (!e.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
        {
            state.Load.Reject(number, $"event {number} has no message", Encoding.UTF8.GetBytes(e.GetRawText()));
            return;
        }
        var line = MessageBytes(message).TrimEnd("\n\r"u8);
        if (line.Trim(" \t"u8).IsEmpty)
        {
            state.Load.BlankLines++;
            return;
        }
        if (FlowLogFormat.IsHeaderLine(line))
        {
            state.Load.HeaderLines++;
            return;
        }
        var context = state.ContextOf(stream, owner);
        if (e.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out var ms) && ms >= 0)
            context = context with { Time = TimeBound.FromCloudWatch(ms) };
        // Streams of one log group can come from different flow logs (an ENI-level one per critical interface, say).
        if (!state.FlowLogFromKey && state.Resolver.FlowLogIdForGroup(state.LogGroup, context.Interface) is { } id && id != state.Load.FlowLogId)
            state.Load.FlowLogId = id;
        var format = state.Resolver.Resolve(state.Load.FlowLogId, state.LogGroup);
        state.Load.Record(line, number, format, context);
    }

    /// <summary>A message's text as UTF-8: its bytes in the JSON as they are when it has no escape (a flow-log record
    /// never needs one), else unescaped.</summary>
    static ReadOnlySpan<byte> MessageBytes(JsonElement message)
    {
        var raw = JsonMarshal.GetRawUtf8Value(message);
        return raw.Length >= 2 && raw.IndexOf((byte)'\\') < 0 ? raw[1..^1] : Encoding.UTF8.GetBytes(message.GetString()!);
    }

    /// <summary>
    /// What a log stream's name says: VPC flow logs write one stream per interface (<c>eni-…</c>, in public fixtures also
    /// <c>eni-…-all</c>), transit gateway flow logs one per attachment (<c>tgw-attach-…</c>) or gateway (<c>tgw-…</c>);
    /// any other name says nothing about the records.
    /// </summary>
    internal static RecordContext StreamContext(string? stream)
    {
        if (stream is null) return new RecordContext();
        if (stream.StartsWith("eni-", StringComparison.Ordinal)) return new RecordContext { Interface = IdPrefix(stream, 4) };
        if (stream.StartsWith("tgw-attach-", StringComparison.Ordinal)) return new RecordContext { TransitGatewayAttachment = IdPrefix(stream, 11) };
        if (stream.StartsWith("tgw-", StringComparison.Ordinal)) return new RecordContext { TransitGateway = IdPrefix(stream, 4) };
        return new RecordContext();
    }

    /// <summary>The id at the start of a stream name (<c>eni-0abc-all</c> → <c>eni-0abc</c>).</summary>
    static string IdPrefix(string stream, int idStart)
    {
        var dash = stream.IndexOf('-', idStart);
        return dash < 0 ? stream : stream[..dash];
    }

    static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static PooledBytes ReadAll(Stream s) => PooledBytes.Read(s, MaxJsonBytes, $"JSON object larger than {MaxJsonBytes:N0} bytes");

    static byte[] Excerpt(ReadOnlySpan<byte> bytes, long line)
    {
        var current = 1L;
        var start = 0;
        for (var i = 0; i < bytes.Length && current < line; i++)
            if (bytes[i] == (byte)'\n') { current++; start = i + 1; }
        var end = bytes[start..].IndexOf((byte)'\n');
        end = end < 0 ? bytes.Length : start + end;
        return bytes[start..Math.Min(end, start + 300)].ToArray();
    }
}
