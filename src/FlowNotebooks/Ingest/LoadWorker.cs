using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using FlowNotebooks.Store;

namespace FlowNotebooks.Ingest;

/// <summary>
/// One parallel lane of a load: its own parser and column batches, and its own <see cref="CaseWriter"/> into the
/// case. Objects are committed whole (records with their manifest rows), every <c>commitRows</c> records or so.
/// </summary>
internal sealed class LoadWorker(CaseWriter writer, ProgressCounter progress) : IDisposable
{
    readonly Dictionary<(string, ContextColumns), ColumnBatch> batches = [];
    readonly List<ObjectLoad> pending = [];
    long stagedRows;
    string? current;

    public CaseWriter Writer { get; } = writer;
    public FlowRecordParser Parser { get; } = new();
    public ProgressCounter Progress { get; } = progress;

    public ColumnBatch BatchFor(FlowLogFormat format, ContextColumns context)
    {
        if (!batches.TryGetValue((format.Signature, context), out var batch))
        {
            batch = new ColumnBatch(format, context: context);
            batches[(format.Signature, context)] = batch;
        }
        return batch;
    }

    /// <summary>The object being read (named when the store refuses its records).</summary>
    public void Reading(string objectName) => current = objectName;

    /// <summary>Writes a batch to the store inside the open transaction.</summary>
    public void Flush(ColumnBatch batch)
    {
        if (batch.Count == 0) return;
        try
        {
            Writer.Write(batch, Parser.Dictionary);
        }
        catch (Exception ex)
        {
            // The store refused records (out of memory, disk full): that is no fault of the object, and the lane's
            // transaction is gone, so the load stops, naming the object and the store's reason.
            throw new FlowLoadException($"The load stopped: the case store could not take the records of {current ?? "an object"}: {ex.Message}", ex);
        }
        stagedRows += batch.Count;
        batch.Count = 0;
        if (Parser.Dictionary.Count > TextDictionary.SoftLimit && batches.Values.All(b => b.Count == 0))
        {
            // Bounded memory on evidence with endless distinct values: start a new dictionary once no batch holds codes.
            Parser.Dictionary.Reset();
            Writer.ResetDictionary();
        }
    }

    /// <summary>Records a finished object; commits when enough rows are staged.</summary>
    public void Complete(ObjectLoad load, int commitRows)
    {
        Writer.Begin();
        pending.Add(load);
        if (stagedRows + batches.Values.Sum(b => b.Count) >= commitRows) Commit();
    }

    /// <summary>Flushes batches and commits the objects completed so far with their manifest rows and rejects.</summary>
    public void Commit()
    {
        if (!Writer.InTransaction && pending.Count == 0) return;
        foreach (var b in batches.Values) Flush(b);
        Writer.Commit(pending.Select(l => l.ManifestRow()).ToList());
        pending.Clear();
        stagedRows = 0;
    }

    /// <summary>Abandons the objects since the last commit (strict-mode stop or failure).</summary>
    public void Rollback()
    {
        Writer.Rollback();
        pending.Clear();
        foreach (var b in batches.Values) b.Count = 0;
        stagedRows = 0;
        // The dictionary table rolled back with the transaction.
        Parser.Dictionary.Reset();
        Writer.ResetDictionary();
    }

    public void Dispose() => Writer.Dispose();
}
