using System.Security.Cryptography;
using FlowNotebooks.Formats;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace FlowNotebooks.Sources.Aws;

/// <summary>What the EC2 collection wrote.</summary>
public sealed record Ec2CollectResult(string Region, string FlowLogsFile, int FlowLogs, string InterfacesFile, int Interfaces)
{
    /// <summary>The manifest lines of the two files.</summary>
    public IReadOnlyList<ManifestEntry> Entries { get; init; } = [];
}

/// <summary>
/// Saves the capture configuration and the interface inventory of a region as evidence: DescribeFlowLogs and
/// DescribeNetworkInterfaces, every page, written as <c>aws ec2 describe-flow-logs</c> / <c>describe-network-interfaces</c>
/// print them (<see cref="AwsCliJson"/>), which the loader reads for formats, coverage and enrichment. Files land in
/// <c>FOLDER/ec2/REGION/</c> and get manifest lines with their SHA-256.
/// </summary>
public static class Ec2Collector
{
    public static async Task<Ec2CollectResult> CollectAsync(AwsSettings settings, string folder, IProgress<AcquisitionProgress>? progress = null,
        CancellationToken cancel = default)
    {
        var region = settings.ResolveRegion();
        var counter = new AcquisitionCounter { Stage = $"EC2 {region}" };
        using var ec2 = AwsClients.Ec2(settings, region);
        var dir = Path.Combine(folder, "ec2", region);
        Directory.CreateDirectory(dir);
        try
        {
            var flowLogs = new List<FlowLog>();
            string? token = null;
            do
            {
                var request = new DescribeFlowLogsRequest { NextToken = token };
                var page = await settings.Retry.RunAsync(c => ec2.DescribeFlowLogsAsync(request, c), counter.Retry, cancel);
                flowLogs.AddRange(page.FlowLogs ?? []);
                counter.Records(page.FlowLogs?.Count ?? 0);
                token = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
            } while (token is not null);

            var interfaces = new List<Amazon.EC2.Model.NetworkInterface>();
            do
            {
                var request = new DescribeNetworkInterfacesRequest { NextToken = token };
                var page = await settings.Retry.RunAsync(c => ec2.DescribeNetworkInterfacesAsync(request, c), counter.Retry, cancel);
                interfaces.AddRange(page.NetworkInterfaces ?? []);
                counter.Records(page.NetworkInterfaces?.Count ?? 0);
                token = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
            } while (token is not null);

            var manifest = AcquisitionManifest.Open(folder);
            var flowFile = Save(folder, dir, region, "describe-flow-logs.json", "FlowLogs", flowLogs, manifest);
            var eniFile = Save(folder, dir, region, "describe-network-interfaces.json", "NetworkInterfaces", interfaces, manifest);
            return new Ec2CollectResult(region, flowFile.Path, flowLogs.Count, eniFile.Path, interfaces.Count) { Entries = [flowFile.Entry, eniFile.Entry] };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw AwsErrors.Explain(ex, $"Describing EC2 flow logs and interfaces in {region}", settings);
        }
        finally
        {
            progress?.Report(counter.Snapshot(finished: true));
        }
    }

    static (string Path, ManifestEntry Entry) Save<T>(string folder, string dir, string region, string name, string member, List<T> items, AcquisitionManifest manifest)
    {
        var path = Path.Combine(dir, name);
        var partial = path + ".partial";
        AwsCliJson.WriteList(partial, member, items);
        File.Move(partial, path, overwrite: true);
        string sha;
        using (var f = File.OpenRead(path)) sha = Convert.ToHexStringLower(SHA256.HashData(f));
        var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
        var entry = new ManifestEntry
        {
            Source = $"ec2://{region}/{name[..^5]}", Key = name[..^5], Path = relative, Size = new FileInfo(path).Length, Sha256 = sha,
            AcquiredAt = DateTime.UtcNow, Note = $"{items.Count} {member}",
        };
        manifest.Add(entry);
        return (path, entry);
    }
}
