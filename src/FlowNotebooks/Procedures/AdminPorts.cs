namespace FlowNotebooks.Procedures;

/// <summary>Remote-administration and database ports, the service an analyst calls them by, and the ATT&amp;CK technique a hop on them evidences.</summary>
public static class AdminPorts
{
    /// <summary>Default list for lateral movement.</summary>
    public const string Default = "22,23,135,139,445,1433,1521,3306,3389,5432,5900,5985,5986,6379,9200,27017";

    public static string Service(int port) => port switch
    {
        22 => "SSH",
        23 => "Telnet",
        135 => "RPC",
        139 => "NetBIOS/SMB",
        445 => "SMB",
        1433 => "MSSQL",
        1521 => "Oracle",
        3306 => "MySQL",
        3389 => "RDP",
        5432 => "PostgreSQL",
        5900 => "VNC",
        5985 or 5986 => "WinRM",
        6379 => "Redis",
        9200 => "Elasticsearch",
        27017 => "MongoDB",
        _ => $"port {port}",
    };

    public static string Technique(int port) => port switch
    {
        22 => "T1021.004",
        3389 => "T1021.001",
        139 or 445 => "T1021.002",
        135 => "T1021.003",
        5900 => "T1021.005",
        5985 or 5986 => "T1021.006",
        1433 or 1521 or 3306 or 5432 or 6379 or 9200 or 27017 => "T1210",
        _ => "T1021",
    };
}
