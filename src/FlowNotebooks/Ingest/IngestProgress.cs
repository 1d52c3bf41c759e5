namespace FlowNotebooks.Ingest;

/// <summary>A snapshot of a running load, for progress displays.</summary>
public sealed record IngestProgress(
    int ObjectsTotal, int ObjectsDone, int Duplicates, long BytesTotal, long BytesDone, long Records, long Rejects, TimeSpan Elapsed, bool Finished)
{
    /// <summary>One line for a console or a notebook.</summary>
    public override string ToString() =>
        $"{ObjectsDone:N0}/{ObjectsTotal:N0} objects, {BytesDone / 1048576.0:N1}/{BytesTotal / 1048576.0:N1} MiB, {Records:N0} records, {Rejects:N0} rejects" +
        (Duplicates > 0 ? $", {Duplicates:N0} already loaded" : "") + $", {Elapsed.TotalSeconds:N1} s";
}

/// <summary>Counters the workers bump; snapshots become <see cref="IngestProgress"/>.</summary>
internal sealed class ProgressCounter(int objectsTotal, long bytesTotal)
{
    readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    int objectsDone, duplicates;
    long bytesDone, records, rejects;

    public void ObjectDone(long bytes, long recordCount)
    {
        Interlocked.Increment(ref objectsDone);
        Interlocked.Add(ref bytesDone, bytes);
        Interlocked.Add(ref records, recordCount);
    }

    public void Duplicate(long bytes)
    {
        Interlocked.Increment(ref objectsDone);
        Interlocked.Increment(ref duplicates);
        Interlocked.Add(ref bytesDone, bytes);
    }

    public void AddReject() => Interlocked.Increment(ref rejects);

    public IngestProgress Snapshot(bool finished = false) => new(objectsTotal, Volatile.Read(ref objectsDone), Volatile.Read(ref duplicates), bytesTotal,
        Interlocked.Read(ref bytesDone), Interlocked.Read(ref records), Interlocked.Read(ref rejects), clock.Elapsed, finished);
}
