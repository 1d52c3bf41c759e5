using FlowNotebooks.Formats;
using FlowNotebooks.Store;

namespace FlowNotebooks.Ingest;

/// <summary>How a load reads evidence.</summary>
public sealed record IngestOptions
{
    /// <summary>Stop at the first reject instead of recording it and going on.</summary>
    public bool Strict { get; init; }

    /// <summary>The analyst's layout for objects without a header line (overrides describe-flow-logs and the default).</summary>
    public FlowLogFormat? Format { get; init; }

    /// <summary>describe-flow-logs files to read before the evidence (formats, flow-log ids, coverage).</summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = [];

    /// <summary>The log group CloudWatch exports came from (picks their format from describe-flow-logs).</summary>
    public string? LogGroup { get; init; }

    /// <summary>Parallel workers (default: processor count).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Only objects whose key delivery time can hold records in [From, To) are read (objects without a key time are always read).</summary>
    public DateTime? From { get; init; }

    /// <summary>See <see cref="From"/>.</summary>
    public DateTime? To { get; init; }

    /// <summary>
    /// DuckDB's memory limit while loading into a case file (DuckDB syntax): FLOWNB_MEMORY_LIMIT when set, else 256MB,
    /// a quarter of the case's 1GB for counting and queries. A load's DuckDB keeps the table blocks it wrote cached up to
    /// its limit, though the load never reads them again, beside the lanes' batches in .NET. The bench corpus peaked at
    /// 1,110–1,148 MiB under 768MB and 851–873 MiB under 256MB in the same time; a 10^8-record load at 1,670 MiB and
    /// 1,337 MiB (224 s and 233 s, one run each).
    /// </summary>
    public string MemoryLimit { get; init; } = CaseStore.MemoryLimitOr(LoadMemoryLimit);

    /// <summary>The load's DuckDB memory limit when FLOWNB_MEMORY_LIMIT is not set.</summary>
    public const string LoadMemoryLimit = "256MB";

    /// <summary>
    /// Rows staged before a worker commits (bigger is faster, smaller loses less on a crash); FLOWNB_COMMIT_ROWS
    /// overrides the default (1 commits after every object, as the crash-safety test does to stop a load part-way).
    /// </summary>
    public int CommitRows { get; init; } =
        int.TryParse(Environment.GetEnvironmentVariable("FLOWNB_COMMIT_ROWS"), out var rows) && rows > 0 ? rows : 2_000_000;
}
