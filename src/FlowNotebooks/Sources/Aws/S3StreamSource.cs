using Amazon.S3;
using FlowNotebooks.Ingest;
using FlowNotebooks.Store;

namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// S3 objects as <see cref="EvidenceObject"/>s for the loader, fetched on demand (stream mode: triage without an
/// evidence folder). The loader's workers run in parallel, so objects download in parallel; each is spooled once to a
/// temp file while its SHA-256 and MD5 are computed and checked like an acquisition (the loader then hashes and parses
/// the local bytes, keeping its hash-before-parse contract without a second download), and the file is deleted as soon
/// as the loader releases the object: memory stays at a few buffers and disk at one object per worker.
/// </summary>
public sealed class S3StreamSource : IDisposable
{
    readonly IAmazonS3 s3;
    readonly DirectoryInfo spool;

    S3StreamSource(IAmazonS3 s3, S3Plan plan, AwsSettings settings, AcquisitionCounter counter)
    {
        this.s3 = s3;
        Plan = plan;
        Counter = counter;
        spool = Directory.CreateTempSubdirectory("flownb-s3-");
        var n = 0;
        Objects = plan.Objects.Select(o =>
        {
            var file = Path.Combine(spool.FullName, $"{Interlocked.Increment(ref n)}.obj");
            var gate = new Lock();
            var ready = false;
            var source = $"s3://{o.Bucket}/{o.Key}";
            return new EvidenceObject(source, o.Size, S3KeyLayout.Parse(o.Key), () =>
            {
                lock (gate)
                {
                    if (!ready)
                    {
                        try
                        {
                            S3Downloader.DownloadAsync(s3, o, file, settings.Retry, counter.Retry, counter.Bytes, CancellationToken.None).GetAwaiter().GetResult();
                        }
                        catch (Exception ex)
                        {
                            throw AwsErrors.Explain(ex, $"Downloading {source}", settings);
                        }
                        counter.ObjectDone();
                        ready = true;
                    }
                }
                return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            })
            {
                Release = () =>
                {
                    lock (gate)
                    {
                        if (File.Exists(file)) File.Delete(file);
                    }
                },
            };
        }).ToList();
    }

    /// <summary>What was listed and picked.</summary>
    public S3Plan Plan { get; }

    /// <summary>The objects, ready for <see cref="EvidenceLoader.Load(IReadOnlyList{EvidenceObject}, IProgress{IngestProgress}?, CancellationToken)"/>.</summary>
    public IReadOnlyList<EvidenceObject> Objects { get; }

    /// <summary>Download counts (throttles, retries, bytes) for progress.</summary>
    public AcquisitionCounter Counter { get; }

    /// <summary>Lists the selection (pruned by the window) and returns the objects to load.</summary>
    public static async Task<S3StreamSource> OpenAsync(AwsSettings settings, S3Selection selection, CancellationToken cancel = default)
    {
        var counter = new AcquisitionCounter { Stage = "S3 stream" };
        var s3 = AwsClients.S3(settings, settings.ResolveRegion());
        try
        {
            var plan = await new S3ObjectFinder(s3, settings.Retry, counter.Retry).FindAsync(selection, cancel);
            counter.Plan(plan.Objects.Count, plan.Objects.Sum(o => o.Size));
            return new S3StreamSource(s3, plan, settings, counter);
        }
        catch (Exception ex)
        {
            s3.Dispose();
            if (ex is OperationCanceledException) throw;
            throw AwsErrors.Explain(ex, $"Listing {selection.Location}", settings);
        }
    }

    /// <summary>Streams a selection straight into a case: list, then load with the loader's parallel workers.</summary>
    public static async Task<IngestSummary> IngestAsync(CaseStore store, IngestOptions options, AwsSettings settings, S3Selection selection,
        IProgress<IngestProgress>? progress = null, CancellationToken cancel = default)
    {
        using var source = await OpenAsync(settings, selection, cancel);
        var loadOptions = options with { From = options.From ?? selection.From, To = options.To ?? selection.To };
        return new EvidenceLoader(store, loadOptions).Load(source.Objects, progress, cancel);
    }

    public void Dispose()
    {
        s3.Dispose();
        try
        {
            spool.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the OS temp cleaner gets it; nothing of the case depends on it.
        }
    }
}
