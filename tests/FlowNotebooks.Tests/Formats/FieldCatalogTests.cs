using FlowNotebooks.Formats;

namespace FlowNotebooks.Tests.Formats;

/// <summary>
/// The catalogue against AWS's documented field list (VPC user guide, "Available fields", as summarised in
/// shared/reference/flow-log-format.md section 2): names, order of the default format, the version that introduced each
/// field, the Parquet types and the documented values of the enumerations. The lists below are typed from the
/// documentation, not read from the catalogue.
/// </summary>
public sealed class FieldCatalogTests
{
    static readonly string[] V2 = ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status"];
    static readonly string[] V3 = ["vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr"];
    static readonly string[] V4 = ["region", "az-id", "sublocation-type", "sublocation-id"];
    static readonly string[] V5 = ["pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path"];
    static readonly string[] V6 = ["resource-type", "tgw-id", "tgw-attachment-id", "tgw-src-vpc-account-id", "tgw-dst-vpc-account-id", "tgw-src-vpc-id", "tgw-dst-vpc-id",
        "tgw-src-subnet-id", "tgw-dst-subnet-id", "tgw-src-eni", "tgw-dst-eni", "tgw-src-az-id", "tgw-dst-az-id", "tgw-pair-attachment-id",
        "packets-lost-no-route", "packets-lost-blackhole", "packets-lost-mtu-exceeded", "packets-lost-ttl-expired"];
    static readonly string[] V7 = ["ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id", "ecs-container-id",
        "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn", "ecs-task-arn", "ecs-task-id"];

    [Fact]
    public void The_default_format_is_the_documented_fourteen_fields_in_order_and_leads_the_catalogue()
    {
        Assert.Equal(V2, FieldCatalog.All.Take(14).Select(f => f.Name));
        Assert.Equal("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
            FlowLogFormat.Default.LogFormat);
    }

    [Fact]
    public void Each_documented_field_carries_the_version_that_introduced_it()
    {
        foreach (var (names, version) in new[] { (V2, 2), (V3, 3), (V4, 4), (V5, 5), (V6, 6), (V7, 7), (["reject-reason"], 8) })
            foreach (var name in names)
                Assert.True(FieldCatalog.Find(name)?.Version == version, $"{name}: documented in version {version}, catalogued as {FieldCatalog.Find(name)?.Version}");
        // Only the version-6 fields are transit-gateway-only; the fields TGW logs share with VPC logs are not.
        Assert.Equal(V6.Order(), FieldCatalog.All.Where(f => f.TransitGatewayOnly).Select(f => f.Name).Order());
    }

    [Fact]
    public void The_transit_gateway_default_format_names_only_catalogued_fields()
    {
        // The documented TGW default: all v2-v6 TGW fields in documentation order (36 fields, no action).
        const string tgw = "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id "
            + "tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol "
            + "packets bytes start end log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region "
            + "flow-direction pkt-src-aws-service pkt-dst-aws-service";
        var names = tgw.Split(' ');
        Assert.Equal(36, names.Length);
        Assert.All(names, n => Assert.True(FieldCatalog.IsKnown(n), n));
        Assert.DoesNotContain("action", names);
    }

    [Theory]
    // Parquet physical types of the documentation's table: INT_32, INT_64, and the two Unix-second times.
    [InlineData("version", FieldKind.Int32)]
    [InlineData("srcport", FieldKind.Int32)]
    [InlineData("dstport", FieldKind.Int32)]
    [InlineData("protocol", FieldKind.Int32)]
    [InlineData("tcp-flags", FieldKind.Int32)]
    [InlineData("traffic-path", FieldKind.Int32)]
    [InlineData("packets", FieldKind.Int64)]
    [InlineData("bytes", FieldKind.Int64)]
    [InlineData("packets-lost-no-route", FieldKind.Int64)]
    [InlineData("packets-lost-ttl-expired", FieldKind.Int64)]
    [InlineData("start", FieldKind.EpochTime)]
    [InlineData("end", FieldKind.EpochTime)]
    [InlineData("srcaddr", FieldKind.Address)]
    [InlineData("pkt-dstaddr", FieldKind.Address)]
    [InlineData("account-id", FieldKind.Text)]
    [InlineData("ecs-task-id", FieldKind.Text)]
    public void Field_types_follow_the_documented_parquet_types(string name, FieldKind kind) =>
        Assert.Equal(kind, FieldCatalog.Find(name)!.Kind);

    [Fact]
    public void Enumerations_hold_the_documented_values()
    {
        Assert.Equal(["ACCEPT", "REJECT"], FieldCatalog.Find("action")!.AllowedValues);
        Assert.Equal(["OK", "NODATA", "SKIPDATA"], FieldCatalog.Find("log-status")!.AllowedValues);
        Assert.Equal(["IPv4", "IPv6", "EFA"], FieldCatalog.Find("type")!.AllowedValues);
        Assert.Equal(["ingress", "egress"], FieldCatalog.Find("flow-direction")!.AllowedValues);
        // traffic-path: codes 1 (same VPC) to 8 (internet gateway, Nitro).
        Assert.Equal(Enumerable.Range(1, 8).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), FieldCatalog.Find("traffic-path")!.AllowedValues);
        Assert.Equal(["wavelength", "outpost", "localzone"], FieldCatalog.Find("sublocation-type")!.AllowedValues);
        Assert.Contains("BPA", FieldCatalog.Find("reject-reason")!.AllowedValues);
    }

    [Fact]
    public void Columns_are_the_names_with_underscores_and_start_end_become_times()
    {
        // Athena's and Parquet's column names: hyphens become underscores; start and end are reserved words, hence *_time.
        Assert.Equal("pkt_src_aws_service", FieldCatalog.Find("pkt-src-aws-service")!.Column);
        Assert.Equal("start_time", FieldCatalog.Find("start")!.Column);
        Assert.Equal("end_time", FieldCatalog.Find("end")!.Column);
        Assert.Equal(FieldCatalog.All.Count, FieldCatalog.All.Select(f => f.Column).Distinct().Count());
    }

    [Fact]
    public void An_unknown_field_is_kept_as_text_under_its_own_name()
    {
        // AWS keeps adding fields: a format naming one must still load (reference: "accept unknown field names").
        Assert.Null(FieldCatalog.Find("future-field"));
        Assert.False(FieldCatalog.IsKnown("future-field"));
        var f = FieldCatalog.Resolve("future-field");
        Assert.Equal(("future-field", "future_field", FieldKind.Text), (f.Name, f.Column, f.Kind));
        Assert.True(f.IsUnknown);
        Assert.False(FieldCatalog.Resolve("bytes").IsUnknown);
    }
}
