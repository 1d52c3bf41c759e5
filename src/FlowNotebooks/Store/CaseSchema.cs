using System.Text;
using FlowNotebooks.Formats;

namespace FlowNotebooks.Store;

/// <summary>
/// The tables of a case store. Records live in narrow <c>flow_records_*</c> tables, one per column set (a load worker
/// writes its own), holding only the fields their evidence had: wide tables of mostly-NULL columns cost space and
/// insert time. The view <c>flows</c> unites them with one column per catalogued field (absent ones NULL), so every
/// query and procedure can name any field whatever format the evidence used.
/// </summary>
public static class CaseSchema
{
    /// <summary>Schema version written to <c>case_info</c>.</summary>
    public const int Version = 1;

    /// <summary>The DuckDB type of a field's main column.</summary>
    public static string SqlType(FieldKind kind) => kind switch
    {
        FieldKind.Int32 => "INTEGER",
        FieldKind.Int64 => "BIGINT",
        FieldKind.EpochTime => "TIMESTAMP",
        _ => "VARCHAR",
    };

    /// <summary>All DDL for a new case.</summary>
    public static string CreateSql()
    {
        var sb = new StringBuilder();
        sb.AppendLine("CREATE TABLE IF NOT EXISTS case_info (key VARCHAR PRIMARY KEY, value VARCHAR);");
        sb.AppendLine("""
            CREATE TABLE IF NOT EXISTS evidence (
              evidence_id INTEGER PRIMARY KEY,
              object VARCHAR NOT NULL,
              kind VARCHAR NOT NULL,
              size BIGINT NOT NULL,
              sha256 VARCHAR NOT NULL,
              status VARCHAR NOT NULL,
              format VARCHAR,
              records BIGINT NOT NULL,
              rejected BIGINT NOT NULL,
              header_lines BIGINT NOT NULL,
              blank_lines BIGINT NOT NULL,
              first_time TIMESTAMP,
              last_time TIMESTAMP,
              flow_log_id VARCHAR,
              account_id VARCHAR,
              region VARCHAR,
              delivery_time TIMESTAMP,
              key_layout VARCHAR,
              notes VARCHAR,
              loaded_at TIMESTAMP NOT NULL);
            """);
        // Added columns come last (the manifest is appended by position) and are added to cases made before them.
        sb.AppendLine("ALTER TABLE evidence ADD COLUMN IF NOT EXISTS log_group VARCHAR;");
        sb.AppendLine("ALTER TABLE evidence ADD COLUMN IF NOT EXISTS implausible_times BIGINT DEFAULT 0;");
        sb.AppendLine("ALTER TABLE evidence ADD COLUMN IF NOT EXISTS name_contradicted VARCHAR;");
        sb.AppendLine("CREATE TABLE IF NOT EXISTS rejects (evidence_id INTEGER, object VARCHAR NOT NULL, line BIGINT NOT NULL, reason VARCHAR NOT NULL, raw VARCHAR);");
        sb.Append("CREATE TABLE IF NOT EXISTS flows_schema (");
        var cols = new List<string>();
        foreach (var f in FieldCatalog.All)
        {
            cols.Add($"{f.Column} {SqlType(f.Kind)}");
            if (f.Kind == FieldKind.Address)
            {
                cols.Add($"{f.Column}_v4 UINTEGER");
                cols.Add($"{f.Column}_v6 UHUGEINT");
            }
        }
        cols.Add("flow_log_id VARCHAR");
        cols.Add("evidence_id INTEGER NOT NULL");
        cols.Add("line BIGINT NOT NULL");
        sb.Append(string.Join(", ", cols));
        sb.AppendLine(");");
        // Where a record's time came from and how wide it is (records without start/end get bounds from their delivery).
        sb.AppendLine("ALTER TABLE flows_schema ADD COLUMN IF NOT EXISTS time_source VARCHAR;");
        sb.AppendLine("ALTER TABLE flows_schema ADD COLUMN IF NOT EXISTS time_bound_seconds BIGINT;");
        sb.AppendLine("""
            CREATE TABLE IF NOT EXISTS flow_logs (
              flow_log_id VARCHAR, resource_id VARCHAR, traffic_type VARCHAR, log_destination_type VARCHAR,
              log_destination VARCHAR, log_group_name VARCHAR, log_format VARCHAR, max_aggregation_interval INTEGER,
              file_format VARCHAR, hive_compatible BOOLEAN, per_hour BOOLEAN, creation_time TIMESTAMP,
              flow_log_status VARCHAR, deliver_logs_status VARCHAR, evidence_id INTEGER);
            ALTER TABLE flow_logs ADD COLUMN IF NOT EXISTS deliver_logs_error_message VARCHAR;
            """);
        // How long the evidence still exists and who collected it (EvidenceClock reads them): describe-log-groups, the
        // bucket states (versioning, lifecycle, versions and delete markers) and the custody record of a collection.
        sb.AppendLine("""
            CREATE TABLE IF NOT EXISTS log_groups (
              log_group_name VARCHAR, arn VARCHAR, retention_days INTEGER, creation_time TIMESTAMP, stored_bytes BIGINT,
              described_at TIMESTAMP, evidence_id INTEGER);
            CREATE TABLE IF NOT EXISTS buckets (
              bucket VARCHAR, region VARCHAR, versioning VARCHAR, versioning_error VARCHAR, lifecycle_error VARCHAR,
              described_at TIMESTAMP, evidence_id INTEGER);
            CREATE TABLE IF NOT EXISTS bucket_lifecycle (
              bucket VARCHAR, rule_id VARCHAR, prefix VARCHAR, status VARCHAR, action VARCHAR, days INTEGER, date TIMESTAMP,
              storage_class VARCHAR, evidence_id INTEGER);
            CREATE TABLE IF NOT EXISTS object_versions (
              bucket VARCHAR, key VARCHAR, version_id VARCHAR, is_latest BOOLEAN, delete_marker BOOLEAN, last_modified TIMESTAMP,
              size BIGINT, etag VARCHAR, storage_class VARCHAR, evidence_id INTEGER);
            CREATE TABLE IF NOT EXISTS custody (
              collected_at TIMESTAMP, principal VARCHAR, local_user VARCHAR, host VARCHAR, tool_version VARCHAR, command_line VARCHAR,
              target VARCHAR, sources VARCHAR, regions VARCHAR, accounts VARCHAR, window_from TIMESTAMP, window_to TIMESTAMP,
              manifest_sha256 VARCHAR, manifest_check VARCHAR, evidence_id INTEGER);
            CREATE TABLE IF NOT EXISTS suspect_objects (source VARCHAR, path VARCHAR, reason VARCHAR, evidence_id INTEGER);
            """);
        sb.AppendLine("""
            CREATE TABLE IF NOT EXISTS interfaces (
              interface_id VARCHAR, interface_type VARCHAR, description VARCHAR, vpc_id VARCHAR, subnet_id VARCHAR,
              availability_zone VARCHAR, owner_id VARCHAR, requester_id VARCHAR, requester_managed BOOLEAN, status VARCHAR,
              instance_id VARCHAR, instance_owner_id VARCHAR, private_ip VARCHAR, private_ip_v4 UINTEGER, public_ip VARCHAR,
              name VARCHAR, role VARCHAR, evidence_id INTEGER);
            CREATE TABLE IF NOT EXISTS interface_addresses (
              interface_id VARCHAR, private_ip VARCHAR, private_ip_v4 UINTEGER, is_primary BOOLEAN, public_ip VARCHAR, evidence_id INTEGER);
            """);
        // Dotted IPv4 text to its 32-bit number (NULL when it is not one), for SQL over text addresses (the loader
        // itself parses every address, Parquet included, and stores the numbers).
        sb.AppendLine("""
            CREATE OR REPLACE MACRO fnb_ipv4(s) AS CASE WHEN regexp_full_match(s, '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}')
              THEN CAST(list_reduce(list_transform(string_split(s, '.'), x -> CAST(x AS BIGINT)), (a, b) -> a * 256 + b) AS UINTEGER) END;
            """);
        return sb.ToString();
    }

    /// <summary>Prefix of the tables that hold records.</summary>
    public const string RecordsTablePrefix = "flow_records_";

    /// <summary>
    /// The number of the IPv4 address in a text column, in SQL (NULL for an IPv6 address or NULL). Records keep each
    /// address once, as the text logged (the parser admits only dotted quads and IPv6 text): a stored number beside
    /// it was 8 of 33 bytes a record on the bench corpus. Reading it costs 0.1–0.25 µs a record, paid where a number is
    /// wanted (counting, once per counted row; CIDR filters over <c>flows</c>); <c>counted_flows</c> keeps its own.
    /// </summary>
    public static string IPv4Number(string column) =>
        $"CASE WHEN NOT contains({column}, ':') THEN list_dot_product(string_split({column}, '.')::DOUBLE[], [16777216, 65536, 256, 1])::UINTEGER END";

    /// <summary>The <c>flows</c> view over the records tables, the table macro <c>flows_starting</c> over those of them
    /// with a start time (<paramref name="timedTables"/>; a format without start or end, delivered with no time, has
    /// none), and the duplicate view built on <c>flows</c>.</summary>
    public static string FlowsViewSql(IEnumerable<string> recordTables, IEnumerable<string> timedTables)
    {
        var tables = recordTables.Order(StringComparer.Ordinal).ToList();
        var timed = tables.Intersect(timedTables).ToList();
        var sb = new StringBuilder($"CREATE OR REPLACE VIEW flows AS {FlowsSelect(tables, null)};\n");
        // The records starting in [from_time, to_time): what counting reads range by range. A filter on flows' start_time
        // prunes nothing: the view reads seconds as TIMESTAMP, and DuckDB skips a row group by its min/max only for a
        // filter in the column's own type (one hour of a 10^7 case: 0.37M records scanned against all 10M). So each
        // table is filtered in its own type first, on whole seconds around the window (a superset), then exactly.
        sb.AppendLine($"""
            CREATE OR REPLACE MACRO flows_starting(from_time, to_time) AS TABLE
            {FlowsSelect(timed, "start_time >= CAST(date_trunc('second', from_time) AS TIMESTAMP_S) AND start_time < CAST(date_trunc('second', to_time) + INTERVAL 1 SECOND AS TIMESTAMP_S)")}
            WHERE start_time >= from_time AND start_time < to_time;
            """);
        // Two captures (an ENI-level and a subnet-level flow log) can log the same record; this view shows them.
        sb.AppendLine("""
            CREATE OR REPLACE VIEW duplicate_records AS
              SELECT interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start_time, end_time, action, log_status,
                     count(*) AS copies, count(DISTINCT flow_log_id) AS captures, list(DISTINCT flow_log_id ORDER BY flow_log_id) AS flow_log_ids
              FROM flows
              GROUP BY ALL
              HAVING count(*) > 1;
            """);
        return sb.ToString();
    }

    // flows_schema comes first, so every column has its type: start and end kept as seconds read as TIMESTAMP.
    static string FlowsSelect(IReadOnlyList<string> tables, string? tableFilter)
    {
        // time_source: 'record' for records with their own start/end, else the delivery that bounds them (see RecordContext).
        // An IPv4 address's number is read from its text (records tables written before keep theirs stored).
        var replaced = new List<string> { "coalesce(time_source, CASE WHEN start_time IS NOT NULL THEN 'record' END) AS time_source" };
        foreach (var f in FieldCatalog.All.Where(f => f.Kind == FieldKind.Address))
            replaced.Add($"coalesce({f.Column}_v4, {IPv4Number(f.Column)}) AS {f.Column}_v4");
        var sb = new StringBuilder($"SELECT * REPLACE ({string.Join(", ", replaced)}) FROM (SELECT * FROM flows_schema");
        foreach (var t in tables)
        {
            sb.Append(" UNION ALL BY NAME SELECT * FROM ").Append(SqlText.Identifier(t));
            if (tableFilter is not null) sb.Append(" WHERE ").Append(tableFilter);
        }
        return sb.Append(')').ToString();
    }
}
