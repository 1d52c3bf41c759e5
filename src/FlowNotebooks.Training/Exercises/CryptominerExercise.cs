using System.Text.Json;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Training.Checks;

namespace FlowNotebooks.Training.Exercises;

/// <summary>The cryptominer: initial access, mining pools and their bytes, the miners, the SSH spread, the blind spots.</summary>
public static class CryptominerExercise
{
    public static Exercise Definition { get; } = new(
        "cryptominer", "cryptominer", "cryptominer-exercise.ipynb",
        "The cryptominer: exposed service, mining pools through the internet and NAT gateways, SSH spread, blind spots",
        [
            new("q1", "Which of our hosts did the attacker reach first from outside, and from which address?",
                "In the `attacker-infrastructure` table, the earliest contact between one of our hosts and an IOC address.",
                "(our host, attacker address) as two texts",
                new OrderedAnswer(k => [k.InitialAccess!.TargetIp, k.InitialAccess.AttackerIp], ", "))
            {
                Reasoning = "The attacker's server is an IOC; the first of our hosts to exchange packets with any IOC address, earliest `first_seen`, "
                            + "is where they got in. The exposed port it answered on (8080) confirms it.",
                CommonMistakes =
                [
                    new("The first host to contact a mining pool", "Mining starts minutes after the exploit; the pool is not where the attacker came from."),
                    new("The attacker's address taken from a REJECT record", "Rejected probes show reconnaissance, not access: access is the first accepted session."),
                ],
            },
            new("q2", "To which pool addresses did our hosts mine, and how many bytes went out to each pool (all miners together)?",
                "Mining is our host calling out (`bytes_out` > 0) to an IOC address for hours, on a stratum port; the attacker's own server "
                + "(question 1) also got calls (payload downloads) but is not a pool.",
                "pool address → bytes out, as a dictionary of text to number",
                new AmountsAnswer(k => Pools(k).ToDictionary(p => p.Ip, p => p.BytesOut), 0.01))
            {
                Reasoning = "Sum `bytes_out` per IOC address over our hosts, leaving out the attacker's server. Count each journey once: "
                            + "`counted_flows` (which the procedure reads) keeps the sender's copy, so traffic through the NAT gateway is not counted twice.",
                CommonMistakes =
                [
                    new("Twice the bytes for the pool the app servers use", "Summed `flows` instead of the counted journeys: the NAT gateway logs each journey again."),
                    new("The attacker's server listed as a pool", "It received a few hundred bytes of payload requests, not hours of stratum traffic."),
                ],
            },
            new("q3", "Which hosts mined (any pool)?",
                "The hosts with bytes out to the pools of question 2.",
                "the miners' private addresses, as a list of texts",
                new SetAnswer(k => Pools(k).SelectMany(p => p.Miners).Distinct()))
            {
                Reasoning = "Every one of our hosts with outbound bytes to a pool address mines; the app servers reach their pool through the NAT "
                            + "gateway, so attribute by the private address (pkt-srcaddr), not the NAT gateway's.",
                CommonMistakes = [new("The NAT gateway's address", "It relays the app servers' traffic; the miners are behind it.")],
            },
            new("q4", "Which hosts did the actor reach over SSH from the first host, in the order reached?",
                "The lateral path: `lateral.Tables[\"path\"]`.",
                "destination addresses in order, as a list of texts",
                new OrderedAnswer(k => k.LateralPath.Select(h => h.DestinationIp)))
            {
                Reasoning = "The `lateral-movement` procedure's path follows accepted admin-port sessions from patient zero in time order. "
                            + "The SSH sweep touched many addresses; only the accepted, long sessions with real bytes are hops.",
                CommonMistakes = [new("Every address the sweep probed", "A scan probe is one or two packets; a hop is a session that carried data.")],
            },
            new("q5", "Which subnet had no flow log at all, and on which interface did the capture lose records (SKIPDATA)?",
                "`coverage.Tables[\"unlogged\"]` and `coverage.Tables[\"gaps\"]`.",
                "(unlogged subnet id, interface id with SKIPDATA) as two texts",
                new OrderedAnswer(k => [k.Coverage.UnloggedSubnets[0].SubnetId, k.Coverage.SkipdataWindows[0].InterfaceId!], ", "))
            {
                Reasoning = "A subnet with no flow log is invisible, not quiet: `coverage` compares the inventory with describe-flow-logs. "
                            + "SKIPDATA records mark minutes a capture dropped; what happened then on that interface cannot be known from flow logs.",
                CommonMistakes = [new("The data subnet (its flow log lost an hour)", "That is a missing delivery: the subnet is logged, an hour's objects are missing.")],
            },
        ])
    {
        TeachingNotes = "Teaches the order of a flow-log investigation: what could we see (coverage), who is the attacker (IOCs), "
                        + "what did they do (mining volume, counted once through the NAT gateway), where did they go (lateral path). "
                        + "Allow 60–90 minutes. Students who finish early: ask what the flow logs cannot tell (the mined coin, the exploit used).",
    };

    /// <summary>A mining pool as the answer key states it (<c>extra.mining_pools</c>).</summary>
    public sealed record Pool(string Ip, long BytesOut, IReadOnlyList<string> Miners);

    public static IReadOnlyList<Pool> Pools(AnswerKey key) =>
        key.Extra["mining_pools"].EnumerateArray().Select(p => new Pool(
            p.GetProperty("ip").GetString()!, p.GetProperty("bytes_out").GetInt64(),
            p.GetProperty("miners").EnumerateArray().Select(m => m.GetString()!).ToList())).ToList();
}
