namespace FlowNotebooks.Store;

public sealed partial class CaseStore
{
    List<(string Sql, object?[] Parameters)>? recorded;

    /// <summary>
    /// Keeps every statement <see cref="Execute"/> runs, with its values, until the returned scope ends: how the derived
    /// tables were built is then what ran, not a list kept beside the code that could drift from it.
    /// </summary>
    internal Recording Record() => new(this);

    internal sealed class Recording : IDisposable
    {
        readonly CaseStore store;

        internal Recording(CaseStore store)
        {
            this.store = store;
            lock (store.gate) store.recorded = [];
        }

        /// <summary>The statements run so far, in order.</summary>
        public IReadOnlyList<(string Sql, object?[] Parameters)> Statements
        {
            get { lock (store.gate) return [.. store.recorded ?? []]; }
        }

        public void Dispose()
        {
            lock (store.gate) store.recorded = null;
        }
    }
}
