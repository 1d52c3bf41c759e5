using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.Events;

namespace FlowNotebooks.Notebooks;

/// <summary>Turns the kernel's events during one cell into nbformat outputs. A displayed value that is later updated
/// in place (a load's progress line) keeps one output holding its last form.</summary>
internal sealed class CellOutputCollector(List<CellOutput> outputs) : IObserver<KernelEvent>
{
    public void OnNext(KernelEvent e)
    {
        lock (outputs)
        {
            switch (e)
            {
                case DisplayedValueUpdated u:
                    var at = outputs.FindIndex(o => o is DisplayOutput d && d.ValueId == u.ValueId);
                    var updated = new DisplayOutput(Data(u.FormattedValues), u.ValueId);
                    if (at >= 0) outputs[at] = updated; else outputs.Add(updated);
                    break;
                case DisplayedValueProduced p:
                    outputs.Add(new DisplayOutput(Data(p.FormattedValues), p.ValueId));
                    break;
                case ReturnValueProduced r:
                    outputs.Add(new ResultOutput(Data(r.FormattedValues)));
                    break;
                case StandardOutputValueProduced o:
                    Stream("stdout", Plain(o.FormattedValues));
                    break;
                case StandardErrorValueProduced err:
                    Stream("stderr", Plain(err.FormattedValues));
                    break;
                case ErrorProduced ep:
                    Stream("stderr", ep.Message);
                    break;
            }
        }
    }

    /// <summary>Console writes come one call at a time: consecutive ones of a stream make one output, as in Jupyter.</summary>
    void Stream(string name, string text)
    {
        if (outputs.Count > 0 && outputs[^1] is StreamOutput last && last.Name == name) outputs[^1] = last with { Text = last.Text + text };
        else outputs.Add(new StreamOutput(name, text));
    }

    static Dictionary<string, string> Data(IReadOnlyCollection<FormattedValue> values)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in values) d[v.MimeType] = v.Value;
        return d;
    }

    static string Plain(IReadOnlyCollection<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.FirstOrDefault()?.Value ?? "";

    public void OnCompleted() { }

    public void OnError(Exception error) { }
}
