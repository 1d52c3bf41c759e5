using FlowNotebooks.Formats;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Delivery;

/// <summary>Writes one flow log's records where AWS would deliver them, an hour at a time.</summary>
internal abstract class CaptureWriter(Capture capture, RecordFields fields, string root, int seed) : IDisposable
{
    /// <summary>AWS starts a new object when one reaches 75 MB.</summary>
    public const long MaxObjectBytes = 75L * 1000 * 1000;

    public Capture Capture { get; } = capture;
    protected RecordFields Fields { get; } = fields;
    protected string Root { get; } = root;
    protected int Seed { get; } = seed;
    protected long HourStart { get; private set; }
    public long Records { get; protected set; }
    public int Objects { get; protected set; }
    /// <summary>CPU seconds spent compressing and writing object bytes (where the writer measures it).</summary>
    public double CompressCpuSeconds { get; protected set; }
    /// <summary>CPU seconds spent creating and closing objects (where the writer measures it).</summary>
    public double ObjectCpuSeconds { get; protected set; }

    string? folder;
    readonly long period = capture.ObjectMinutes * 60L;
    readonly ulong periodReciprocal = ulong.MaxValue / (ulong)(capture.ObjectMinutes * 60L) + 1;

    public virtual void BeginHour(long hourStart) => HourStart = hourStart;
    public abstract void Write(in FlowRecord record);
    public abstract void EndHour();
    public virtual void Dispose() { }

    /// <summary>The delivery period (object stamp) a record belongs to: its end time, floored to the object length.</summary>
    protected long Slot(long end)
    {
        var offset = end - HourStart;
        // Per record, so a multiply by the period's reciprocal instead of a 64-bit division: exact for any offset below
        // 2^32 and a divisor above 1 (Lemire, Kaser and Kurz, "Faster remainder by direct computation", 2019).
        return (ulong)offset <= uint.MaxValue ? (long)Math.BigMul(periodReciprocal, (ulong)offset, out _) : offset / period;
    }

    /// <summary>The local path of an S3 object: bucket, optional prefix, then the AWS key.</summary>
    protected string ObjectPath(long stamp, int part, string extension)
    {
        var time = DateTime.UnixEpoch.AddSeconds(stamp);
        var hash = ScenarioRandom.For(Seed, Capture.FlowLogId, stamp * 64 + part).Hex(8);
        var vpcAccount = Fields.Account;
        var key = S3KeyLayout.Folder(Capture.Prefix, vpcAccount, Fields.Region, time, Capture.Layout)
                  + S3KeyLayout.FileName(vpcAccount, Fields.Region, Capture.FlowLogId, time, hash, extension);
        var path = Path.Combine(Root, "s3", Capture.Bucket, key.Replace('/', Path.DirectorySeparatorChar));
        // Objects of a day share a folder: create it once, not once per object.
        var dir = Path.GetDirectoryName(path)!;
        if (dir != folder)
        {
            Directory.CreateDirectory(dir);
            folder = dir;
        }
        return path;
    }
}
