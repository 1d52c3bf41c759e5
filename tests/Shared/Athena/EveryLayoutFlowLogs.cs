using FlowNotebooks.Formats;

namespace FlowNotebooks.TestShared.Athena;

/// <summary>A describe-flow-logs document holding every S3 layout and both file formats (and one CloudWatch flow log).</summary>
public static class EveryLayoutFlowLogs
{
    public const string CustomFormat = "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status}";
    public const string V5Format = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${region} ${az-id} ${flow-direction} ${traffic-path}";

    static string Options(string fileFormat, bool hive, bool perHour) =>
        $$"""{"FileFormat":"{{fileFormat}}","HiveCompatiblePartitions":{{(hive ? "true" : "false")}},"PerHourPartition":{{(perHour ? "true" : "false")}}}""";

    /// <summary>describe-flow-logs with every layout and both file formats: the first two entries are the AWS CLI example
    /// (CloudWatch and the custom-format S3 flow log); the rest add DestinationOptions as DescribeFlowLogs returns them.</summary>
    public static readonly string Config = $$"""
        {"FlowLogs": [
          {"CreationTime": "2018-02-21T13:22:12.644Z", "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/flow-logs-role", "DeliverLogsStatus": "SUCCESS",
           "FlowLogId": "fl-aabbccdd112233445", "FlowLogStatus": "ACTIVE", "LogGroupName": "FlowLogGroup", "ResourceId": "subnet-12345678901234567",
           "TrafficType": "ALL", "LogDestinationType": "cloud-watch-logs", "LogFormat": "{{FlowLogFormat.DefaultLogFormat}}"},
          {"CreationTime": "2019-07-19T15:22:29.986Z", "DeliverLogsStatus": "SUCCESS", "FlowLogId": "fl-01234567890123456", "FlowLogStatus": "ACTIVE",
           "ResourceId": "vpc-00112233445566778", "TrafficType": "ACCEPT", "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::my-flow-log-bucket/custom",
           "LogFormat": "{{CustomFormat}}"},
          {"CreationTime": "2021-05-01T00:00:00Z", "FlowLogId": "fl-0ddd", "ResourceId": "vpc-0d", "TrafficType": "ALL", "LogDestinationType": "s3",
           "LogDestination": "arn:aws:s3:::my-flow-log-bucket/custom", "LogFormat": "{{FlowLogFormat.DefaultLogFormat}}", "DestinationOptions": {{Options("plain-text", false, false)}}},
          {"CreationTime": "2022-01-10T08:00:00Z", "FlowLogId": "fl-0aaa", "ResourceId": "vpc-0a", "TrafficType": "ALL", "LogDestinationType": "s3",
           "LogDestination": "arn:aws:s3:::my-flow-log-bucket/custom", "LogFormat": "{{FlowLogFormat.DefaultLogFormat}}", "DestinationOptions": {{Options("plain-text", false, true)}}},
          {"CreationTime": "2023-03-03T00:00:00Z", "FlowLogId": "fl-0bbb", "ResourceId": "vpc-0b", "TrafficType": "ALL", "LogDestinationType": "s3",
           "LogDestination": "arn:aws:s3:::central-flow-logs/org/", "LogFormat": "{{V5Format}}", "DestinationOptions": {{Options("parquet", true, true)}}},
          {"CreationTime": "2023-02-02T00:00:00Z", "FlowLogId": "fl-0ccc", "ResourceId": "vpc-0c", "TrafficType": "ALL", "LogDestinationType": "s3",
           "LogDestination": "arn:aws:s3:::central-flow-logs/org", "LogFormat": "{{CustomFormat}}", "DestinationOptions": {{Options("parquet", true, true)}}},
          {"CreationTime": "2024-06-30T23:59:59Z", "FlowLogId": "fl-0eee", "ResourceId": "vpc-0e", "TrafficType": "REJECT", "LogDestinationType": "s3",
           "LogDestination": "arn:aws:s3:::hive-text-logs", "LogFormat": "{{V5Format}}", "DestinationOptions": {{Options("plain-text", true, false)}}}
        ]}
        """;
}
