using FlowNotebooks.Sources.Aws.Athena;

namespace FlowNotebooks.TestShared.Athena;

/// <summary>An Athena that counts what is sent to it and answers nothing: a run that must not send shows 0 calls.</summary>
public sealed class SendRecorder : IAthenaQueries
{
    public int Calls;

    public Task<AthenaQueryOutcome> RunAsync(AthenaQueryRequest request, CancellationToken cancellationToken)
    {
        Calls++;
        throw new InvalidOperationException("sent");
    }
}

/// <summary>A flow-log table whose scan estimate is given: <paramref name="bytes"/> over 1,200 objects under two day prefixes.</summary>
public sealed class EstimatedFlowTable(long bytes) : IAthenaFlowTable
{
    public string Database => "flowlogs";
    public string Table => "vpc_flow_logs";
    public string PartitionPredicate(DateTimeOffset from, DateTimeOffset to, AthenaEngine engine) => "day = '2025/11/18'";
    public Task<AthenaScanEstimate> EstimateScanAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult(new AthenaScanEstimate(bytes, 1200, ["s3://b/AWSLogs/1/vpcflowlogs/eu-west-1/2025/11/17/", "s3://b/AWSLogs/1/vpcflowlogs/eu-west-1/2025/11/18/"]));
}
