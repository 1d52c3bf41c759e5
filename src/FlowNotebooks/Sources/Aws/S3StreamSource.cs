using FlowNotebooks.Formats;
using Amazon.S3;

namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// S3 objects as <see cref="EvidenceObject"/>s for the loader, fetched on demand (stream mode: triage without an
/// evidence folder). The loader hashes every object before it reads any (evidence ids in name order, duplicates decided
/// first), in parallel, then parses them with parallel workers. Each first open downloads the object once, verified
/// like an acquisition (size, MD5 against a single-part ETag, retries), into a spool file that the parse then reads, so
/// the bytes parsed are exactly the bytes hashed; the file is deleted when the loader releases the object.
/// Disk is bounded by <see cref="SpoolBudgetBytes"/>: past it, the hashing pass reads a temp copy deleted on close and
/// the parse fetches the object again and checks it has the same SHA-256. Memory stays at a few buffers either way.
/// </summary>
public sealed class S3StreamSource : IDisposable
{
    /// <summary>Default bytes kept on disk between hashing and parsing.</summary>
    public const long DefaultSpoolBudget = 2L << 30;

    readonly IAmazonS3 s3;
    readonly AwsSettings settings;
    readonly DirectoryInfo spool;
    long spooled;

    S3StreamSource(IAmazonS3 s3, S3Plan plan, AwsSettings settings, AcquisitionCounter counter, long budget)
    {
        this.s3 = s3;
        this.settings = settings;
        Plan = plan;
        Counter = counter;
        SpoolBudgetBytes = budget;
        spool = Directory.CreateTempSubdirectory("flownb-s3-");
        var n = 0;
        Objects = plan.Objects.Select(o => new Spooled(this, o, Path.Combine(spool.FullName, $"{++n}.obj")).Evidence()).ToList();
    }

    /// <summary>What was listed and picked.</summary>
    public S3Plan Plan { get; }

    /// <summary>The objects, ready for the loader.</summary>
    public IReadOnlyList<EvidenceObject> Objects { get; }

    /// <summary>Download counts (throttles, retries, bytes) for progress.</summary>
    public AcquisitionCounter Counter { get; }

    /// <summary>Bytes kept on disk between the loader's hashing and parsing passes.</summary>
    public long SpoolBudgetBytes { get; }

    /// <summary>Lists the selection (pruned by the window) and returns the objects to load.</summary>
    public static async Task<S3StreamSource> OpenAsync(AwsSettings settings, S3Selection selection, CancellationToken cancel = default,
        long spoolBudgetBytes = DefaultSpoolBudget)
    {
        var counter = new AcquisitionCounter { Stage = "S3 stream" };
        var s3 = AwsClients.S3(settings, settings.ResolveRegion());
        try
        {
            var plan = await new S3ObjectFinder(s3, settings.Retry, counter.Retry).FindAsync(selection, cancel);
            counter.Plan(plan.Objects.Count, plan.Objects.Sum(o => o.Size));
            return new S3StreamSource(s3, plan, settings, counter, spoolBudgetBytes);
        }
        catch (Exception ex)
        {
            s3.Dispose();
            if (ex is OperationCanceledException) throw;
            throw AwsErrors.Explain(ex, $"Listing {selection.Location}", settings);
        }
    }

    /// <summary>One object's trip: not fetched, spooled (kept for the parse), or hashed only (fetched again to parse).</summary>
    sealed class Spooled(S3StreamSource owner, S3Listed listed, string file)
    {
        readonly Lock gate = new();
        readonly string source = $"s3://{listed.Bucket}/{listed.Key}";
        bool kept;
        string? hashedSha;

        public EvidenceObject Evidence() => new(source, listed.Size, S3KeyLayout.Parse(listed.Key), Open) { Release = Release };

        Stream Open()
        {
            lock (gate)
            {
                if (kept) return Read(file, deleteOnClose: false);
                if (hashedSha is null && Interlocked.Add(ref owner.spooled, listed.Size) > owner.SpoolBudgetBytes)
                {
                    // Over budget: a throw-away copy for the hashing pass; the parse will fetch again.
                    Interlocked.Add(ref owner.spooled, -listed.Size);
                    var temp = file + ".hash";
                    hashedSha = Fetch(temp).Sha256;
                    return Read(temp, deleteOnClose: true);
                }
                if (hashedSha is not null) Interlocked.Add(ref owner.spooled, listed.Size);
                var d = Fetch(file);
                if (hashedSha is not null && d.Sha256 != hashedSha)
                {
                    File.Delete(file);
                    throw new AwsAcquisitionException($"{source} changed while it was being loaded (SHA-256 differs between the hashing and the reading pass); load it again.");
                }
                kept = true;
                owner.Counter.ObjectDone();
                return Read(file, deleteOnClose: false);
            }
        }

        S3Downloaded Fetch(string path)
        {
            try
            {
                return S3Downloader.DownloadAsync(owner.s3, listed, path, owner.settings.Retry, owner.Counter.Retry, owner.Counter.Bytes, CancellationToken.None)
                    .GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                throw AwsErrors.Explain(ex, $"Downloading {source}", owner.settings);
            }
        }

        void Release()
        {
            lock (gate)
            {
                if (!kept) return;
                File.Delete(file);
                kept = false;
                Interlocked.Add(ref owner.spooled, -listed.Size);
            }
        }

        static FileStream Read(string path, bool deleteOnClose) =>
            new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
                FileOptions.SequentialScan | (deleteOnClose ? FileOptions.DeleteOnClose : FileOptions.None));
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
