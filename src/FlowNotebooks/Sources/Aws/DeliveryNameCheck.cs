using FlowNotebooks.Formats;
using System.Text.RegularExpressions;

namespace FlowNotebooks.Sources.Aws;

/// <summary>
/// Whether an object's name agrees with where it sits and when S3 says it was written. AWS names a delivery after the
/// account, region and 5-minute slot it holds and puts it in that account's, region's and day's folder, writing it
/// after the slot; an object whose folder says another account, region or day than its name, or that S3 says existed
/// before the time its name claims, was not put there by the delivery: someone wrote it to the bucket.
/// </summary>
public static partial class DeliveryNameCheck
{
    /// <summary>How much earlier than its stamp an object may be written (clock skew; the slot's records end after it).</summary>
    public static readonly TimeSpan WrittenEarlySlack = TimeSpan.FromHours(1);

    /// <summary>Null when the name agrees, else what contradicts it.</summary>
    public static string? Contradiction(string key, DateTime? lastModified)
    {
        var name = S3KeyLayout.Parse(key[(key.LastIndexOf('/') + 1)..]);
        if (name.DeliveryTime is not { } stamp) return null; // not an AWS delivery name: it claims nothing
        var folder = Folder().Match(key);
        if (folder.Success)
        {
            var account = folder.Groups["a1"].Success ? folder.Groups["a1"].Value : folder.Groups["a2"].Value;
            var region = folder.Groups["r1"].Success ? folder.Groups["r1"].Value : folder.Groups["r2"].Value;
            var day = folder.Groups["d1"].Success ? folder.Groups["d1"].Value.Replace('/', '-') : $"{folder.Groups["y2"].Value}-{folder.Groups["m2"].Value}-{folder.Groups["dd2"].Value}";
            if (name.AccountId != account) return $"its name claims account {name.AccountId} but it sits in account {account}'s folder";
            if (name.Region != region) return $"its name claims region {name.Region} but it sits in region {region}'s folder";
            if (stamp.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) != day)
                return $"its name claims delivery {stamp:yyyy-MM-ddTHH:mm}Z but it sits in day folder {day}";
        }
        if (lastModified is { } written && written < stamp - WrittenEarlySlack)
            return $"its name claims delivery {stamp:yyyy-MM-ddTHH:mm}Z but S3 says it was written {written:yyyy-MM-ddTHH:mm:ss}Z, before that";
        return null;
    }

    [GeneratedRegex(@"AWSLogs/(?:(?<a1>\d{12})/vpcflowlogs/(?<r1>[a-z0-9-]+)/(?<d1>\d{4}/\d{2}/\d{2})/|aws-account-id=(?<a2>\d{12})/aws-service=vpcflowlogs/aws-region=(?<r2>[a-z0-9-]+)/year=(?<y2>\d{4})/month=(?<m2>\d{2})/day=(?<dd2>\d{2})/)")]
    private static partial Regex Folder();
}
