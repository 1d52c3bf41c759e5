using FlowNotebooks.Formats;
using FlowNotebooks.Sources;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Store;

namespace FlowNotebooks.Ingest;

/// <summary>
/// Collect, then load: local paths and evidence fetched from AWS (streamed S3 objects, a CloudWatch Logs window) go
/// through one <see cref="EvidenceLoader"/>. The acquisition side only finds and fetches; the loading side lives here,
/// so the pipeline runs one way (sources never call the loader).
/// </summary>
public static class EvidenceIntake
{
    /// <summary>
    /// Reads local files and folders and streams <c>s3://</c> locations (for the window of <paramref name="options"/>,
    /// once per profile of <paramref name="access"/>) into <paramref name="store"/> in one load. <paramref name="listed"/>
    /// hears what each listing found before the load starts.
    /// </summary>
    public static async Task<IngestSummary> LoadAsync(CaseStore store, IEnumerable<string> paths, IngestOptions? options = null, AwsAccess? access = null,
        IProgress<IngestProgress>? progress = null, Action<S3Listing>? listed = null, CancellationToken cancel = default)
    {
        options ??= new IngestOptions();
        access ??= new AwsAccess();
        var all = paths.ToList();
        var (objects, skipped) = LocalSource.Discover(all.Where(p => !S3Location.IsS3Uri(p)));
        var sources = new List<S3StreamSource>();
        try
        {
            var evidence = objects.ToList();
            foreach (var uri in all.Where(S3Location.IsS3Uri))
            {
                var selection = access.Selection(S3Location.Parse(uri), options.From, options.To);
                foreach (var settings in access.Settings(access.BucketRegion))
                {
                    var source = await S3StreamSource.OpenAsync(settings, selection, cancel);
                    sources.Add(source);
                    evidence.AddRange(source.Objects);
                    listed?.Invoke(new S3Listing(selection.Location, source.Objects.Count, source.Plan.ListedPrefixes.Count));
                }
            }
            return new EvidenceLoader(store, options).Load(evidence, progress, cancel) with
            {
                Skipped = skipped, Throttles = sources.Sum(s => s.Counter.Snapshot().Throttles),
            };
        }
        finally
        {
            foreach (var source in sources) source.Dispose();
        }
    }

    /// <summary>Streams an S3 selection straight into a case: list, then load with the loader's parallel workers.</summary>
    public static async Task<IngestSummary> StreamS3Async(CaseStore store, IngestOptions options, AwsSettings settings, S3Selection selection,
        IProgress<IngestProgress>? progress = null, CancellationToken cancel = default, long spoolBudgetBytes = S3StreamSource.DefaultSpoolBudget)
    {
        using var source = await S3StreamSource.OpenAsync(settings, selection, cancel, spoolBudgetBytes);
        var loadOptions = options with { From = options.From ?? selection.From, To = options.To ?? selection.To };
        return new EvidenceLoader(store, loadOptions).Load(source.Objects, progress, cancel);
    }

    /// <summary>Collects a CloudWatch Logs window into a scratch folder and loads the file into a case (no evidence folder kept).</summary>
    public static async Task<IngestSummary> CloudWatchAsync(CaseStore store, IngestOptions options, AwsSettings settings, CloudWatchSelection selection,
        IProgress<AcquisitionProgress>? progress = null, CancellationToken cancel = default)
    {
        var scratch = Directory.CreateTempSubdirectory("flownb-cwl-");
        try
        {
            var result = await CloudWatchCollector.CollectAsync(settings, selection, scratch.FullName, progress, cancel);
            var o = new EvidenceObject(result.Entry.Source, result.Entry.Size, new KeyMetadata(null, null, null, null, null, KeyLayout.None, null),
                () => File.OpenRead(result.File));
            return new EvidenceLoader(store, options with { LogGroup = options.LogGroup ?? selection.LogGroup }).Load([o], null, cancel);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
