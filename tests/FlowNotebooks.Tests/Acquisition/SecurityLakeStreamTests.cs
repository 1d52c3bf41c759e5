using Amazon.S3.Model;
using FlowNotebooks.Ingest;
using FlowNotebooks.Sources.Aws;
using FlowNotebooks.Store;
using FlowNotebooks.Tests.Sources;

namespace FlowNotebooks.Tests.Acquisition;

/// <summary>Security Lake objects streamed from S3 (s3rver on loopback) load as they do from a local folder.</summary>
[Collection(S3rverCollection.Name)]
public sealed class SecurityLakeStreamTests(S3rverFixture s3rver)
{
    const string Bucket = "security-lake-flows";

    static string Key(string version, string day, string file) =>
        $"aws/VPC_FLOW/{version}/region=us-east-1/accountId=123456789012/eventDay={day}/{file}.gz.parquet";

    [Fact]
    public async Task A_window_streams_only_the_event_days_it_touches_and_reads_them_as_flows()
    {
        using var s3 = s3rver.Client();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        var objects = new Dictionary<string, byte[]>
        {
            [Key("1.0", "20231114", "v1")] = SecurityLakeTests.Ocsf(SecurityLakeTests.Records, rc2: true),
            [Key("2.0", "20231114", "v2")] = SecurityLakeTests.Ocsf(SecurityLakeTests.Records, rc2: false),
            // A later day: outside the window, never fetched.
            [Key("2.0", "20231120", "later")] = SecurityLakeTests.Ocsf(SecurityLakeTests.Records[..1], rc2: false),
        };
        foreach (var (key, bytes) in objects)
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false });

        using var dir = new TempDir();
        using var store = CaseStore.Open();
        var from = new DateTime(2023, 11, 14, 22, 0, 0, DateTimeKind.Utc);
        var selection = new S3Selection(new FlowNotebooks.Sources.Aws.S3Location(Bucket, "aws/VPC_FLOW/")) { From = from, To = from.AddHours(1) };
        var s = await EvidenceIntake.StreamS3Async(store, new IngestOptions { From = selection.From, To = selection.To }, s3rver.Settings(dir), selection);

        Assert.Equal(2, s.Objects);
        Assert.Equal(2 * SecurityLakeTests.Records.Length, s.Records);
        Assert.Equal(0, s.Rejects);
        var e = store.Query("SELECT object, kind, account_id, region FROM evidence ORDER BY object").Rows;
        Assert.Equal<object?>([$"s3://{Bucket}/{Key("1.0", "20231114", "v1")}", "security-lake-ocsf", "123456789012", "us-east-1"], e[0]);
        Assert.Equal<object?>([$"s3://{Bucket}/{Key("2.0", "20231114", "v2")}", "security-lake-ocsf", "123456789012", "us-east-1"], e[1]);
        // Both versions give the same records (bytes summed against the text records' own figures).
        var expectedBytes = SecurityLakeTests.Records.Sum(r => long.Parse(r.Split(' ')[9]));
        Assert.Equal(2 * expectedBytes, store.Scalar<long>("SELECT sum(bytes)::BIGINT FROM flows"));
    }
}
