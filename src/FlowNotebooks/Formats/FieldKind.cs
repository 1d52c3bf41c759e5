namespace FlowNotebooks.Formats;

/// <summary>How a flow-log field is typed in the case store.</summary>
public enum FieldKind
{
    /// <summary>Free text; stored as VARCHAR (also every field we do not know).</summary>
    Text,
    /// <summary>32-bit integer (ports, protocol, tcp-flags, traffic-path, version).</summary>
    Int32,
    /// <summary>64-bit integer (packets, bytes, TGW loss counters).</summary>
    Int64,
    /// <summary>IPv4 or IPv6 address; stored as text plus numeric columns for CIDR filters.</summary>
    Address,
    /// <summary>Unix time in seconds (values above 2^31-1 are read as milliseconds); stored as a UTC TIMESTAMP.</summary>
    EpochTime,
}
