namespace FlowNotebooks.Sources.Aws;

/// <summary>A snapshot of a running acquisition, for progress lines.</summary>
public sealed record AcquisitionProgress(
    string Stage, int ObjectsTotal, int ObjectsDone, int Verified, int Refetched, long BytesTotal, long BytesDone,
    long Records, int Throttles, int Retries, TimeSpan Elapsed, bool Finished)
{
    public override string ToString() =>
        $"{Stage}: {ObjectsDone:N0}/{ObjectsTotal:N0} objects" +
        (Verified > 0 ? $" ({Verified:N0} already verified)" : "") + (Refetched > 0 ? $", {Refetched:N0} re-fetched" : "") +
        $", {BytesDone / 1048576.0:N1}/{BytesTotal / 1048576.0:N1} MiB" + (Records > 0 ? $", {Records:N0} events" : "") +
        (Throttles > 0 ? $", {Throttles:N0} throttled" : "") + (Retries > 0 ? $", {Retries:N0} retries" : "") + $", {Elapsed.TotalSeconds:N1} s";
}

/// <summary>Counters bumped from parallel downloads; <see cref="Snapshot"/> makes the record.</summary>
public sealed class AcquisitionCounter
{
    readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    int objectsTotal, objectsDone, verified, refetched, throttles, retries;
    long bytesTotal, bytesDone, records;

    public string Stage { get; set; } = "acquire";

    public void Plan(int objects, long bytes)
    {
        Interlocked.Add(ref objectsTotal, objects);
        Interlocked.Add(ref bytesTotal, bytes);
    }

    public void Bytes(long n) => Interlocked.Add(ref bytesDone, n);
    public void ObjectDone() => Interlocked.Increment(ref objectsDone);
    public void VerifiedSkip(long size)
    {
        Interlocked.Increment(ref verified);
        Interlocked.Increment(ref objectsDone);
        Interlocked.Add(ref bytesDone, size);
    }
    public void Refetch() => Interlocked.Increment(ref refetched);
    public void Records(long n) => Interlocked.Add(ref records, n);

    /// <summary>Retry callback for <see cref="AwsRetryPolicy"/>: counts throttles apart from other retries.</summary>
    public void Retry(Exception ex)
    {
        Interlocked.Increment(ref retries);
        if (AwsErrors.IsThrottling(ex)) Interlocked.Increment(ref throttles);
    }

    public AcquisitionProgress Snapshot(bool finished = false) => new(Stage, Volatile.Read(ref objectsTotal), Volatile.Read(ref objectsDone),
        Volatile.Read(ref verified), Volatile.Read(ref refetched), Interlocked.Read(ref bytesTotal), Interlocked.Read(ref bytesDone),
        Interlocked.Read(ref records), Volatile.Read(ref throttles), Volatile.Read(ref retries), clock.Elapsed, finished);
}
