using System.Text;
using FlowNotebooks.Scenarios.Delivery;

namespace FlowNotebooks.Scenarios.Catalog;

/// <summary>The case folder's README: the task and what was collected, without giving the answers away.</summary>
internal static class Briefing
{
    public static string For(Scenario scenario, ShopVpc shop, IReadOnlyList<Capture> captures, string task)
    {
        var sb = new StringBuilder();
        sb.Append($"# Case: {scenario.Name}\n\n{task}\n\n");
        sb.Append($"Account {shop.Vpc.AccountId}, region {shop.Vpc.Region}, {shop.Vpc.VpcId} ({shop.Vpc.Cidr}).\n\n");
        sb.Append("## Collected\n\n");
        sb.Append($"- `s3/{ShopVpc.Bucket}/` — the flow-log bucket as `aws s3 sync` copied it.\n");
        if (captures.Any(c => c.Destination == CaptureDestination.CloudWatch))
            sb.Append($"- `cloudwatch/{ShopVpc.LogGroup}/` — `aws logs filter-log-events --log-group-name {ShopVpc.LogGroup}`, saved page by page.\n");
        sb.Append("- `describe-flow-logs.json`, `describe-network-interfaces.json` — `aws ec2 describe-*` output at collection time.\n");
        sb.Append("- `iocs.txt` — threat-intelligence indicators.\n");
        sb.Append($"- `{CaseGenerator.AnswerKeyFile}` — the ground truth. Trainees: do not open it before you are done.\n\n");
        sb.Append("This case is synthetic (FlowNotebooks `flownb generate`); attacker addresses are documentation ranges (RFC 5737).\n");
        return sb.ToString();
    }
}
