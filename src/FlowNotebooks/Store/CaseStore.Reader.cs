using System.Data;

namespace FlowNotebooks.Store;

public sealed partial class CaseStore
{
    /// <summary>Runs a query and hands the open reader to <paramref name="read"/> (under the store's lock), so a caller
    /// can read typed values and stop early instead of boxing every cell as <see cref="Query"/> does.</summary>
    public T Read<T>(string sql, IReadOnlyList<object?>? parameters, Func<IDataReader, T> read)
    {
        lock (gate)
        {
            using var timing = SqlTrace.Time(sql);
            using var cmd = Command(sql, parameters?.ToArray() ?? []);
            using var reader = cmd.ExecuteReader();
            return read(reader);
        }
    }
}
