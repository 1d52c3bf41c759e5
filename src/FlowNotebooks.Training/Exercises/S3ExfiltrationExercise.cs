using System.Text.Json;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Training.Checks;

namespace FlowNotebooks.Training.Exercises;

/// <summary>Exfiltration to an AWS service: the stolen key's login, the hop, the dump, the copies to S3 by path and
/// region, and what flow logs cannot say about the bucket.</summary>
public static class S3ExfiltrationExercise
{
    static IEnumerable<JsonElement> Transfers(AnswerKey k) => k.Extra["s3_transfers"].EnumerateArray();

    static JsonElement ThroughNat(AnswerKey k) => Transfers(k).Single(t => t.GetProperty("via").GetString() == "nat_gateway");

    public static Exercise Definition { get; } = new(
        "s3-exfiltration", "s3-exfiltration", "s3-exfiltration-exercise.ipynb",
        "Exfiltration to an AWS service: a stolen SSH key, a database dump, copies to S3 through the gateway endpoint and the NAT gateway",
        [
            new("q1", "Was the stolen key used? Which of our hosts accepted the intruder's login, and from which address?",
                "`attacker-infrastructure` with the IOC file: the earliest accepted contact with the IOC address.",
                "(our host, attacker address) as two texts",
                new OrderedAnswer(k => [k.InitialAccess!.TargetIp, k.InitialAccess.AttackerIp], ", "))
            {
                Reasoning = "The only IOC is the address the key was used from. Its accepted SSH session to the bastion's private address (the "
                            + "bastion's interface logs its private address, not its Elastic IP) is the login.",
                CommonMistakes = [new("The bastion's public address", "Flow logs on the instance's interface record its private address; name the host by it.")],
            },
            new("q2", "Which internal host did the intruder reach from the bastion?",
                "`lateral-movement` from the login time on (`from`): the admins use the same bastion path every day.",
                "an address, as text",
                new ExactAnswer(k => k.LateralPath[0].DestinationIp))
            {
                Reasoning = "The bastion SSHes to app and database hosts every working day. Only the session that starts during the intruder's "
                            + "login, from the bastion, is theirs: restrict the window to the login onwards.",
                CommonMistakes =
                [
                    new("The first host the bastion reached in the window", "That is an administrator's session from the day before; the window must start at the login."),
                    new("db-1", "The intruder read the database from the app server, over PostgreSQL; there was no SSH hop to it."),
                ],
            },
            new("q3", "How many bytes did that host pull from the database?",
                "`conversations` for that host's address: the server on 5432 and `bytes_to_client`.",
                "a number of bytes",
                NumberAnswer.Within(k => k.Extra["collection"].GetProperty("bytes_in").GetInt64(), 0.01))
            {
                Reasoning = "The dump is one PostgreSQL session from the app server to db-1; the bytes flow to the client. `conversations` counts "
                            + "each journey once although both interfaces logged it.",
                CommonMistakes = [new("About twice the bytes", "Summed every logged copy: the app server's and the database's interfaces both log the session.")],
            },
            new("q4", "To which AWS service did the data go, as the flow logs name it?",
                "`exfil-ledger`: its `aws_service` column (from pkt-dst-aws-service).",
                "a service name, as text",
                new ExactAnswer(k => Transfers(k).First().GetProperty("aws_service").GetString()!))
            {
                Reasoning = "Version-5 records name the ip-ranges.json subset of pkt-dstaddr in pkt-dst-aws-service; the ledger separates "
                            + "such destinations from the exfil findings, so they are easy to overlook.",
                CommonMistakes = [new("AMAZON", "AMAZON is the superset every AWS range belongs to; flow logs show the narrower subset when there is one.")],
            },
            new("q5", "To which destination addresses did the host copy the data, and how many bytes to each?",
                "`exfil-ledger` rows for that host with an `aws_service`; the nightly backup from db-1 and the hourly log shipping go to the shop's own S3 address, not these.",
                "destination address → bytes out, as a dictionary of text to number",
                new AmountsAnswer(k => Transfers(k).ToDictionary(t => t.GetProperty("destination").GetString()!, t => t.GetProperty("bytes").GetInt64()), 0.01))
            {
                Reasoning = "Two large uploads from the app server to S3 addresses it never used before, after the dump. A baseline window before "
                            + "the login (`baseline_from`/`baseline_to`) marks them new; the log shipping to the shop's usual S3 address is not.",
                CommonMistakes =
                [
                    new("Including the shop's usual S3 address", "App servers ship logs there every hour; it was in the baseline."),
                    new("Only the copy through the NAT gateway", "The in-region copy went through the gateway endpoint: it is on the app server's interface only."),
                ],
            },
            new("q6", "Which of those copies left through the NAT gateway?",
                "The ledger's `via` and `nat_interface` columns.",
                "a destination address, as text",
                new ExactAnswer(k => ThroughNat(k).GetProperty("destination").GetString()!))
            {
                Reasoning = "A gateway endpoint carries S3 traffic of its own region only; S3 in another region goes the internet way, through "
                            + "the NAT gateway. On the app server's records traffic-path is 7 (gateway endpoint) for one and 1 (through another "
                            + "resource in the VPC: the NAT gateway) for the other.",
                CommonMistakes = [new("Both", "The in-region copy never reached the NAT gateway: its interface has no record of it.")],
            },
            new("q7", "In which AWS region is the S3 endpoint that copy went to?",
                "Match its address against the ip-ranges.json excerpt in the notebook.",
                "a region name, as text",
                new ExactAnswer(k => ThroughNat(k).GetProperty("region").GetString()!))
            {
                Reasoning = "Flow logs give the address and the service; AWS's published ip-ranges.json maps the address's prefix to a region. "
                            + "That the bucket is in another region is why the gateway endpoint did not carry it.",
                CommonMistakes = [new("eu-west-1", "That is the shop's region and the other copy's; the NAT gateway copy went to a prefix of another region.")],
            },
            new("q8", "Which bucket received that copy?",
                "What do the flow-log fields say about S3 requests?",
                "a text",
                new ExactAnswer(k => k.Extra["flow_logs_cannot_tell"].EnumerateArray().First(x => x.GetProperty("question").GetString() == "which bucket").GetProperty("answer").GetString()!))
            {
                Points = 2,
                Reasoning = "Flow logs hold addresses, ports, bytes and times: an S3 address serves every bucket of the region. The bucket, its "
                            + "owner account and the object keys are in CloudTrail S3 data events (and the bucket's access logs if it is yours).",
                CommonMistakes =
                [
                    new("The shop's flow-log or backup bucket", "Nothing in a flow record names a bucket; guessing one is a finding the evidence does not support."),
                    new("A name derived from the address", "S3 addresses are shared by all buckets in the region; reverse DNS names the endpoint, not the bucket."),
                ],
            },
        ])
    {
        TeachingNotes = "Teaches that data can leave to an AWS service, not only to an attacker's host: pkt-dst-aws-service and traffic-path "
                        + "tell the service and the path (gateway endpoint or NAT gateway), ip-ranges.json the region, and only CloudTrail data "
                        + "events the bucket. Also: a bastion's admin path is busy every day, so the window matters. Allow 60–90 minutes; end "
                        + "with gateway endpoint policies (restrict to your own buckets) and why a bucket in another region bypasses them.",
    };
}
