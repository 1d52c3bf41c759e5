using FlowNotebooks.Store;

namespace FlowNotebooks.Procedures;

/// <summary>
/// A named, parameterised forensic analysis: metadata (title, what flow logs can and cannot show, ATT&amp;CK techniques),
/// typed parameters with defaults, its SQL as data, and <see cref="Run"/> which returns a table and findings. One
/// definition serves the magic commands, the CLI (<c>flownb analyze</c>), the reports and Athena (<c>--athena</c>).
/// </summary>
public abstract class Procedure
{
    /// <summary>kebab-case name: the argument of <c>flownb analyze</c> and the magic command <c>#!flow-NAME</c> (see <see cref="ShortNames"/>).</summary>
    public abstract string Name { get; }
    public abstract string Title { get; }
    /// <summary>What the procedure does and what flow-log evidence can and cannot show for it.</summary>
    public abstract string Description { get; }
    /// <summary>ATT&amp;CK techniques its findings can evidence.</summary>
    public abstract IReadOnlyList<string> Techniques { get; }
    public abstract IReadOnlyList<ProcedureParameter> Parameters { get; }
    /// <summary>The SQL it runs, by name (placeholders documented on <see cref="ProcedureQuery"/>).</summary>
    public abstract IReadOnlyList<ProcedureQuery> Queries { get; }
    /// <summary>The main table's columns. GeoIP/ASN columns (<c>country</c>, <c>country_name</c>, <c>asn</c>, <c>as_org</c>)
    /// follow <see cref="GeoIpAfter"/> when a database is given.</summary>
    public abstract IReadOnlyList<ResultColumn> Columns { get; }
    /// <summary>The column the GeoIP/ASN columns follow, or null when the procedure lists no external addresses.</summary>
    public virtual string? GeoIpAfter => null;
    /// <summary>The charts that fit its result, in the order shown.</summary>
    public abstract IReadOnlyList<ProcedureChart> Charts { get; }
    /// <summary>Earlier, shorter magic-command names kept working (<c>#!flow-exfil</c> for <c>#!flow-exfil-ledger</c>).</summary>
    public virtual IReadOnlyList<string> ShortNames => [];

    /// <summary>What the procedure computes outside SQL (figures of its table, side tables), each with its formula: the
    /// audit record states them beside the statements.</summary>
    public virtual IReadOnlyList<string> OutsideSql => [];

    /// <summary>Runs on a case. Parameter values are text (as typed) or typed values; unknown names are an error.</summary>
    /// <exception cref="ArgumentException">A parameter name is unknown.</exception>
    /// <exception cref="FormatException">A parameter value does not fit its kind.</exception>
    /// <exception cref="Enrichment.GeoIpDatabaseException">A GeoIP or ASN database given is missing or unreadable (the message names it).</exception>
    public ProcedureResult Run(CaseStore store, IReadOnlyDictionary<string, object?>? parameters = null)
    {
        using var run = new ProcedureRun(store, this, parameters ?? new Dictionary<string, object?>());
        Execute(run);
        return run.Result();
    }

    /// <summary>Runs the analysis: set <see cref="ProcedureRun.Table"/>, add side tables and findings.</summary>
    protected abstract void Execute(ProcedureRun run);

    /// <summary>The query of that name.</summary>
    public ProcedureQuery Query(string name) =>
        Queries.FirstOrDefault(q => q.Name == name) ?? throw new KeyNotFoundException($"{Name} has no query '{name}'.");
}
