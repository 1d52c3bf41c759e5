using System.Globalization;
using System.Text.Json;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Delivery;

/// <summary>
/// A CloudWatch Logs delivery as an analyst collects it: <c>aws logs filter-log-events --log-group-name G</c> saved page by
/// page (<c>events[]</c> with logStreamName, timestamp = record start in ms, message = the record line without header,
/// ingestionTime a few minutes after the record's end, eventId; <c>nextToken</c> on every page but the last).
/// One stream per interface, named <c>eni-…-all</c> like the console does for traffic type ALL.
/// </summary>
internal sealed class CloudWatchExportWriter(Capture capture, RecordFields fields, string root, int seed, int eventsPerPage)
    : CaptureWriter(capture, fields, root, seed)
{
    readonly byte[] line = new byte[1024];
    FileStream? file;
    Utf8JsonWriter? json;
    int page, onPage;

    public override void Write(in FlowRecord record)
    {
        if (json is null || onPage == eventsPerPage) NextPage();
        var n = Fields.WriteLine(record, line);
        var key = ScenarioRandom.Mix(ScenarioRandom.Key(Seed, Capture.FlowLogId, Records));
        json!.WriteStartObject();
        json.WriteString("logStreamName", record.Interface.InterfaceId + "-all");
        json.WriteNumber("timestamp", record.Start * 1000);
        json.WriteString("message", line.AsSpan(0, n));
        json.WriteNumber("ingestionTime", record.End * 1000 + 240_000 + (long)(key % 420_000));
        json.WriteString("eventId", EventId(record.Start, key));
        json.WriteEndObject();
        onPage++;
        Records++;
    }

    /// <summary>Event ids are 56-digit decimal strings that sort by time.</summary>
    static string EventId(long start, ulong key) =>
        string.Create(CultureInfo.InvariantCulture, $"{start * 1000:D20}{key % 1_000_000_000_000_000_000UL:D18}{ScenarioRandom.Mix(key) % 1_000_000_000_000_000_000UL:D18}");

    void NextPage()
    {
        if (json is not null)
        {
            json.WriteEndArray();
            json.WriteString("nextToken", NextToken());
            EndPage();
        }
        page++;
        onPage = 0;
        var dir = Path.Combine(Root, "cloudwatch", Capture.LogGroup!.Trim('/').Replace('/', '_'));
        Directory.CreateDirectory(dir);
        file = new FileStream(Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"filter-log-events-page-{page:D4}.json")), FileMode.CreateNew, FileAccess.Write);
        json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true, IndentSize = 4 });
        json.WriteStartObject();
        json.WriteStartArray("events");
        Objects++;
    }

    string NextToken()
    {
        var r = ScenarioRandom.For(Seed, Capture.FlowLogId + "/token", page);
        var bytes = new byte[96];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)r.Next(256);
        return "Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCr" + Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('=');
    }

    void EndPage()
    {
        json!.WriteEndObject();
        json.Flush();
        json.Dispose();
        file!.Write("\n"u8);
        file.Dispose();
        json = null;
        file = null;
    }

    public override void EndHour() { }

    /// <summary>Closes the last page (no nextToken).</summary>
    public override void Dispose()
    {
        if (json is null) return;
        json.WriteEndArray();
        EndPage();
    }
}
