using System.Text.Json;
using FlowNotebooks.Formats;
using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Tests.Formats;

/// <summary>
/// Which layout an object without a header line is read with, by the rules AWS's delivery implies: an S3 object's key
/// names its flow log, whose LogFormat describe-flow-logs gives; a CloudWatch export names only its log group, which
/// several flow logs may write; the analyst's --format overrides both. Flow logs from the AWS CLI's own example output.
/// </summary>
public sealed class FormatResolverTests
{
    /// <summary>The AWS CLI's describe-flow-logs example: fl-aabbccdd112233445 writes the default format to the
    /// CloudWatch group FlowLogGroup; fl-01234567890123456 writes a 21-field custom format to S3.</summary>
    static IReadOnlyList<FlowLogConfig> CliExample()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.Path("aws", "aws-cli__examples.json")));
        return FlowLogConfig.FromElement(doc.RootElement.GetProperty("ec2_describe_flow_logs"));
    }

    static FlowLogConfig CloudWatch(string id, string group, string format, string resource, bool byArnOnly = false) =>
        new(id, resource, "ALL", "cloud-watch-logs", $"arn:aws:logs:eu-west-1:111111111111:log-group:{group}", byArnOnly ? null : group, format,
            600, null, false, false, null, "ACTIVE", "SUCCESS");

    const string V5 = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction} ${traffic-path}";

    [Fact]
    public void An_objects_flow_log_id_gives_that_flow_logs_format()
    {
        var resolver = new FormatResolver(CliExample());
        var custom = resolver.Resolve("fl-01234567890123456");
        // The example's LogFormat, field by field.
        Assert.Equal(["version", "vpc-id", "subnet-id", "instance-id", "interface-id", "account-id", "type", "srcaddr", "dstaddr", "srcport", "dstport",
            "pkt-srcaddr", "pkt-dstaddr", "protocol", "bytes", "packets", "start", "end", "action", "tcp-flags", "log-status"], custom.Fields.Select(f => f.Name));
        // A flow log the configuration does not know, or none named: the default v2 format.
        Assert.Equal(14, resolver.Resolve("fl-0000000000000000").Fields.Count);
        Assert.Equal(FlowLogFormat.Default, resolver.Resolve(null));
    }

    [Fact]
    public void The_analysts_format_overrides_the_configuration()
    {
        var explicitFormat = FlowLogFormat.Parse(V5);
        var resolver = new FormatResolver(CliExample(), explicitFormat);
        Assert.Equal(explicitFormat, resolver.Resolve("fl-01234567890123456"));
        Assert.Equal(explicitFormat, resolver.Resolve(null, "FlowLogGroup"));
    }

    [Fact]
    public void A_log_group_gives_its_writers_format_only_when_they_agree()
    {
        var one = new FormatResolver([CloudWatch("fl-a", "vpc-logs", V5, "vpc-1")]);
        Assert.True(one.Resolve(null, "vpc-logs").Has("traffic-path"));
        // Named only by the ARN of the destination (LogGroupName absent): still that group.
        Assert.True(new FormatResolver([CloudWatch("fl-a", "vpc-logs", V5, "vpc-1", byArnOnly: true)]).Resolve(null, "vpc-logs").Has("traffic-path"));
        // Two flow logs with different formats write one group: no single layout can be told, so the default.
        var two = new FormatResolver([CloudWatch("fl-a", "vpc-logs", V5, "vpc-1"), CloudWatch("fl-b", "vpc-logs", FlowLogFormat.DefaultLogFormat, "subnet-1")]);
        Assert.Equal(FlowLogFormat.Default, two.Resolve(null, "vpc-logs"));
        // The same format twice is one layout.
        var same = new FormatResolver([CloudWatch("fl-a", "vpc-logs", V5, "vpc-1"), CloudWatch("fl-b", "vpc-logs", V5, "subnet-1")]);
        Assert.True(same.Resolve(null, "vpc-logs").Has("flow-direction"));
        // The CLI example's CloudWatch flow log writes the default format to FlowLogGroup.
        Assert.Equal(FlowLogFormat.Default, new FormatResolver(CliExample()).Resolve(null, "FlowLogGroup"));
    }

    [Fact]
    public void A_later_configuration_of_the_same_flow_log_replaces_the_earlier()
    {
        var resolver = new FormatResolver([CloudWatch("fl-a", "vpc-logs", FlowLogFormat.DefaultLogFormat, "vpc-1")]);
        // Asked before the later configuration arrives (answers are kept per resolver): the earlier one's answers.
        Assert.False(resolver.Resolve("fl-a").Has("traffic-path"));
        Assert.False(resolver.Resolve(null, "vpc-logs").Has("traffic-path"));
        Assert.Equal("fl-a", resolver.FlowLogIdForGroup("vpc-logs", "eni-0123"));
        resolver.Add([CloudWatch("fl-a", "vpc-logs", V5, "vpc-1"), CloudWatch("fl-eni", "vpc-logs", V5, "eni-0123")]);
        Assert.Equal(2, resolver.Configs.Count);
        Assert.True(resolver.Resolve("fl-a").Has("traffic-path"));
        Assert.True(resolver.Resolve(null, "vpc-logs").Has("traffic-path"));
        Assert.Equal("fl-eni", resolver.FlowLogIdForGroup("vpc-logs", "eni-0123"));
    }

    [Fact]
    public void The_writer_of_a_groups_stream_is_the_interfaces_own_flow_log_else_the_only_writer()
    {
        var resolver = new FormatResolver([
            CloudWatch("fl-vpc", "shared", V5, "vpc-1"), CloudWatch("fl-subnet", "shared", V5, "subnet-1"), CloudWatch("fl-eni", "shared", V5, "eni-0123"),
            CloudWatch("fl-only", "alone", V5, "vpc-2")]);
        Assert.Equal("fl-eni", resolver.FlowLogIdForGroup("shared", "eni-0123"));
        // An interface no flow log names directly, in a group several write: cannot be told.
        Assert.Null(resolver.FlowLogIdForGroup("shared", "eni-9999"));
        Assert.Equal("fl-only", resolver.FlowLogIdForGroup("alone", "eni-9999"));
        Assert.Null(resolver.FlowLogIdForGroup(null));
    }

    [Fact]
    public void An_exports_folder_names_its_log_group()
    {
        var resolver = new FormatResolver([CloudWatch("fl-a", "vpc-logs", V5, "vpc-1")]);
        Assert.Equal("vpc-logs", resolver.LogGroupInPath("cases/2026/vpc-logs/eni-0123-all.json"));
        // Only folders count: a file named like the group is not filed under it.
        Assert.Null(resolver.LogGroupInPath("cases/vpc-logs"));
        Assert.Null(resolver.LogGroupInPath("cases/other/eni.json"));
    }
}
