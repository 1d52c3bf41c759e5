namespace FlowNotebooks.Notebooks;

/// <summary>An <see cref="IProgress{T}"/> that writes at once, in order (<see cref="Progress{T}"/> posts to the thread
/// pool, so lines would arrive after the summary they precede).</summary>
public sealed class LineProgress(TextWriter writer) : IProgress<string>
{
    public void Report(string value) => writer.WriteLine(value);
}
