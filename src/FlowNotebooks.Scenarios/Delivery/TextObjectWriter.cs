using FlowNotebooks.Scenarios.Delivery.Deflate;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Delivery;

/// <summary>
/// S3 plain-text delivery: gzip objects that start with the header line, LF line endings, one object per delivery
/// period (a second one when the first passes 75 MB). Compressed by <see cref="GzipMember"/>, our own DEFLATE writer
/// that looks for repeats only at field starts (on this text faster than zlib's fastest level, and smaller); mtime 0 and no file name,
/// so equal input gives equal bytes.
/// </summary>
internal sealed class TextObjectWriter(Capture capture, RecordFields fields, string root, int seed) : CaptureWriter(capture, fields, root, seed)
{
    sealed class Open(FileStream file, GzipMember gzip, long stamp, int part)
    {
        public FileStream File { get; } = file;
        public GzipMember Gzip { get; } = gzip;
        public long Stamp { get; } = stamp;
        public int Part { get; set; } = part;
        public byte[] Buffer { get; } = new byte[1 << 16];
        public int Used { get; set; }
    }

    Open?[] slots = [];
    /// <summary>Deflaters of closed objects, for the next ones (each holds about 1 MB of buffers).</summary>
    readonly Stack<RecordDeflater> spare = new();

    public override void BeginHour(long hourStart)
    {
        base.BeginHour(hourStart);
        slots = new Open?[60 / Capture.ObjectMinutes];
    }

    public override void Write(in FlowRecord record)
    {
        var slot = Slot(record.End);
        var o = slots[slot] ??= Create(HourStart + slot * Capture.ObjectMinutes * 60L, 0);
        if (o.Used > o.Buffer.Length - 1024)
        {
            Flush(o);
            if (o.File.Position > MaxObjectBytes)
            {
                Close(o);
                o = slots[slot] = Create(o.Stamp, o.Part + 1);
            }
        }
        var n = Fields.WriteLine(record, o.Buffer.AsSpan(o.Used));
        o.Buffer[o.Used + n] = (byte)'\n';
        o.Used += n + 1;
        Records++;
    }

    Open Create(long stamp, int part)
    {
        var cpu = CpuClock.Seconds;
        var file = new FileStream(ObjectPath(stamp, part, ".log.gz"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        var o = new Open(file, new GzipMember(file, spare.Count > 0 ? spare.Pop() : new RecordDeflater()), stamp, part);
        var header = System.Text.Encoding.ASCII.GetBytes(Fields.Header + "\n");
        header.CopyTo(o.Buffer, 0);
        o.Used = header.Length;
        Objects++;
        ObjectCpuSeconds += CpuClock.Seconds - cpu;
        return o;
    }

    void Flush(Open o)
    {
        var cpu = CpuClock.Seconds;
        o.Gzip.Write(o.Buffer.AsSpan(0, o.Used));
        o.Used = 0;
        CompressCpuSeconds += CpuClock.Seconds - cpu;
    }

    void Close(Open o)
    {
        Flush(o);
        var cpu = CpuClock.Seconds;
        o.Gzip.Finish();
        spare.Push(o.Gzip.Deflater);
        o.File.Dispose();
        ObjectCpuSeconds += CpuClock.Seconds - cpu;
    }

    public override void EndHour()
    {
        foreach (var o in slots)
            if (o is not null) Close(o);
        slots = new Open?[slots.Length];
    }

    public override void Dispose() => EndHour();
}
