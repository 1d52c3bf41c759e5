using System.Globalization;

namespace FlowNotebooks.Store;

/// <summary>
/// DuckDB settings changed for one piece of work and given back when it ends (DuckDB's settings here are the database's,
/// shared by every connection to the case): the values they had are read first and set again on dispose.
/// </summary>
internal sealed class KeptSettings : IDisposable
{
    readonly CaseStore store;
    readonly List<(string Name, string Value)> before = [];

    KeptSettings(CaseStore store) => this.store = store;

    /// <summary>Sets each named setting to its value until the result is disposed. Names and values are ours, never an analyst's.</summary>
    public static KeptSettings Set(CaseStore store, params (string Name, long Value)[] settings)
    {
        var kept = new KeptSettings(store);
        foreach (var (name, value) in settings)
        {
            // A name DuckDB does not know fails here, with DuckDB's error naming it.
            kept.before.Add((name, store.Scalar<string>("SELECT current_setting($1)::VARCHAR", name)!));
            store.Execute($"SET {SqlText.Identifier(name)} = {value.ToString(CultureInfo.InvariantCulture)}");
        }
        return kept;
    }

    public void Dispose()
    {
        foreach (var (name, value) in Enumerable.Reverse(before))
            store.Execute($"SET {SqlText.Identifier(name)} = {SqlText.Literal(value)}");
        before.Clear();
    }
}
