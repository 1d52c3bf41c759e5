using FlowNotebooks.Training.Checks;

namespace FlowNotebooks.Training.Exercises;

/// <summary>The default incident: initial access, lateral path, exfiltration through the NAT gateway, the beacon, an
/// unmanaged host, and what the flow logs could not see.</summary>
public static class VpcCompromiseExercise
{
    public static Exercise Definition { get; } = new(
        "vpc-compromise", "vpc-compromise", "vpc-compromise-exercise.ipynb",
        "The VPC compromise: initial access, SSH lateral path, exfiltration through the NAT gateway, beacon, unmanaged host",
        [
            new("q1", "Which of our hosts did the attacker reach first from outside, and from which address?",
                "`attacker-infrastructure`: the earliest accepted contact between one of our hosts and an IOC address.",
                "(our host, attacker address) as two texts",
                new OrderedAnswer(k => [k.InitialAccess!.TargetIp, k.InitialAccess.AttackerIp], ", "))
            {
                Reasoning = "Several IOC addresses appear (the exploitation server, the C2, the drop hosts). Initial access is the earliest: "
                            + "the exploitation server's sessions to the exposed 8080, before any beacon or upload.",
                CommonMistakes =
                [
                    new("The C2 address", "The beacon starts after the exploit: it is how the attacker stays, not how they got in."),
                    new("Our host's public address", "Flow logs on the instance's interface record its private address; name the host by it."),
                ],
            },
            new("q2", "Which hosts did the attacker reach over SSH, in the order reached?",
                "`lateral-movement`: its path table (`lateral.Tables[\"path\"]`), from patient zero.",
                "destination addresses in order, as a list of texts",
                new OrderedAnswer(k => k.LateralPath.Select(h => h.DestinationIp)))
            {
                Reasoning = "After a SYN scan of the app and data subnets, accepted SSH sessions carrying data go from the first host to one "
                            + "app server and from there to the database: a path, hop by hop in time order.",
                CommonMistakes = [new("Every host that answered the scan on port 22", "Answering a probe is not being reached: a hop is a session with data.")],
            },
            new("q3", "To which outside addresses did the data leave, and how many bytes went to each?",
                "`exfil-ledger`: pairs sent `via` the NAT gateway, attributed to the private host behind it.",
                "destination address → bytes out, as a dictionary of text to number",
                new AmountsAnswer(k => k.Exfiltration!.Destinations.ToDictionary(d => d.Ip, d => d.Bytes), 0.01))
            {
                Reasoning = "The uploads leave the database host through the NAT gateway. The ledger pairs each journey's private leg "
                            + "(pkt-srcaddr) with its public one and counts it once; a byte total per drop host follows.",
                CommonMistakes =
                [
                    new("The S3 download to the database host", "Bytes into our host from S3 (through the gateway endpoint) are staging, not exfiltration."),
                    new("About twice the bytes", "Summed every logged copy (`flows`): the host's own interface and the NAT gateway's both log each upload."),
                ],
            },
            new("q4", "Which of our hosts sent the data out (its private address)?",
                "The NAT gateway only relays: the ledger's `asset` is the host behind it (pkt-srcaddr on the gateway's private leg).",
                "an address, as text",
                new ExactAnswer(k => k.Exfiltration!.SourceIp))
            {
                Reasoning = "On the internet side every upload comes from the NAT gateway's Elastic IP. Its private-leg records carry "
                            + "pkt-srcaddr, the instance that really sent it; the host's own interface logs the same bytes.",
                CommonMistakes =
                [
                    new("The NAT gateway's public or private address", "The gateway relays traffic; attribute it to the host behind it."),
                    new("The first compromised host", "The data was staged and sent from the database host, two hops further."),
                ],
            },
            new("q5", "Which address does the implant call home to (command and control)?",
                "`beaconing`: a pair connecting at a regular period.",
                "an address, as text",
                new ExactAnswer(k => k.Beacon!.DestinationIp))
            {
                Reasoning = "Short HTTPS check-ins at a steady interval, for days, from the first compromised host: a beacon.",
                CommonMistakes = [new("A drop host", "The drop hosts receive large uploads once; the C2 gets small regular check-ins.")],
            },
            new("q6", "When did the implant first call home (UTC)?",
                "`beaconing`: the first connection of that pair.",
                "a UTC time, as a DateTime or text such as 2025-01-31T23:59:00Z",
                new TimeAnswer(k => k.Beacon!.Window.Start, TimeSpan.FromMinutes(2)))
            {
                Reasoning = "The beacon's first check-in dates the implant: minutes after the exploit, long before the scan and the "
                            + "uploads. Flow records time traffic to their aggregation interval, so within two minutes is right.",
                CommonMistakes =
                [
                    new("The time of the exploit (question 1)", "The implant calls home once installed, minutes later."),
                    new("A local time", "Flow-log times are UTC (Unix seconds); give UTC."),
                ],
            },
            new("q7", "Which address of ours, in no inventory, also talked to the C2?",
                "`attacker-infrastructure` or `beaconing` rows whose asset is not `managed`.",
                "an address, as text",
                new ExactAnswer(k => k.UnmanagedHost!.Ip))
            {
                Reasoning = "The address is inside the VPC but in no describe-network-interfaces entry, and its subnet has no flow log: "
                            + "we see it only through the NAT gateway's private leg. An unmanaged host means a second foothold to hunt.",
                CommonMistakes = [new("The first compromised host", "It is managed (in the inventory); the question asks for the one that is not.")],
            },
        ])
    {
        TeachingNotes = "Teaches the full scoping of an intrusion from flow logs: entry, spread, what left (counted once through the NAT "
                        + "gateway and attributed to the host behind it), persistence, and a host no inventory knew. Allow 90–120 minutes. "
                        + "Discuss at the end what the evidence could not see (the unlogged ops subnet, the SKIPDATA window, the failed delivery).",
    };
}
