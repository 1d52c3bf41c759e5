using FlowNotebooks.Formats;
using FlowNotebooks.Sources;

namespace FlowNotebooks.Tests.Sources;

public class S3KeyLayoutTests
{
    static readonly DateTime T = new(2018, 6, 20, 16, 20, 0, DateTimeKind.Utc);

    [Fact]
    public void Documented_default_key_gives_account_region_flow_log_and_delivery_time()
    {
        var k = S3KeyLayout.Parse("my-prefix/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz");
        Assert.Equal(new KeyMetadata("123456789012", "us-east-1", "fl-1234abcd", T, "fe123456", KeyLayout.Default, "my-prefix"), k);
    }

    [Theory]
    [InlineData("AWSLogs/123456789012/vpcflowlogs/eu-west-1/2018/06/20/16/123456789012_vpcflowlogs_eu-west-1_fl-0a_20180620T1620Z_0badf00d.log.gz", KeyLayout.DefaultPerHour)]
    [InlineData("AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2018/month=06/day=20/123456789012_vpcflowlogs_eu-west-1_fl-0a_20180620T1620Z_0badf00d.log.parquet", KeyLayout.Hive)]
    [InlineData("AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2018/month=06/day=20/hour=16/123456789012_vpcflowlogs_eu-west-1_fl-0a_20180620T1620Z_0badf00d.log.gz", KeyLayout.HivePerHour)]
    [InlineData("AWSLogs/aws-account-id=123456789012/service=vpcflowlogs/aws-region=eu-west-1/year=2018/month=06/day=20/123456789012_vpcflowlogs_eu-west-1_fl-0a_20180620T1620Z_0badf00d.log.gz", KeyLayout.Hive)]
    public void Per_hour_and_hive_layouts_are_recognised(string key, KeyLayout layout)
    {
        var k = S3KeyLayout.Parse(key);
        Assert.Equal(layout, k.Layout);
        Assert.Equal(("123456789012", "eu-west-1", "fl-0a", T), (k.AccountId, k.Region, k.FlowLogId, k.DeliveryTime));
        Assert.Null(k.Prefix);
    }

    [Theory]
    [InlineData(KeyLayout.Default)]
    [InlineData(KeyLayout.DefaultPerHour)]
    [InlineData(KeyLayout.Hive)]
    [InlineData(KeyLayout.HivePerHour)]
    public void Keys_written_by_the_helpers_read_back(KeyLayout layout)
    {
        var key = S3KeyLayout.Folder("p/q", "123456789012", "us-east-2", T, layout) + S3KeyLayout.FileName("123456789012", "us-east-2", "fl-0123", T, "a1b2c3d4");
        Assert.Equal(new KeyMetadata("123456789012", "us-east-2", "fl-0123", T, "a1b2c3d4", layout, "p/q"), S3KeyLayout.Parse(key));
    }

    [Fact]
    public void A_file_an_analyst_named_has_no_key_metadata()
    {
        var k = S3KeyLayout.Parse("evidence/flows-from-customer.log.gz");
        Assert.Equal(new KeyMetadata(null, null, null, null, null, KeyLayout.None, null), k);
    }
}
