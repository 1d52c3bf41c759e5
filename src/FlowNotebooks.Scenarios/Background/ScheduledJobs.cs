using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Background;

/// <summary>
/// Nightly and hourly jobs: OS patching from a package mirror, log shipping and the nightly database backup to S3 through
/// the gateway endpoint (big uploads that are not exfiltration), and CI builds pulling code and packages.
/// </summary>
public sealed class ScheduledJobs(
    IReadOnlyList<Workload> patched, IReadOnlyList<uint> mirrors,
    IReadOnlyList<Workload> logShippers, Workload? database, uint s3,
    IReadOnlyList<Workload> builders, IReadOnlyList<uint> codeHosts) : ITrafficSource
{
    public void Emit(TrafficHour hour)
    {
        var r = hour.Random("scheduled-jobs");
        var sink = hour.Sink;
        if (hour.Time.Hour == 5)
            foreach (var host in patched)
            {
                var size = hour.Time.DayOfWeek == DayOfWeek.Tuesday ? r.LogNormal(45_000_000, 0.5) : r.LogNormal(1_500_000, 0.6);
                var seconds = (int)Math.Clamp(size / 4_000_000, 2, 900);
                Internet.Tcp(hour, r, host, 0, null, r.Pick(mirrors), 80, seconds, 2_000 + size / 90, size).Emit(sink, hour.Start, hour.End);
            }
        foreach (var host in logShippers)
        {
            var size = r.LogNormal(800_000, 0.5);
            Internet.Tcp(hour, r, host, 0, null, s3, 443, 3 + r.Next(0, 6), size, 6_000 + size / 60).Emit(sink, hour.Start, hour.End);
        }
        if (database is not null && hour.Time.Hour == 1)
        {
            var size = r.LogNormal(3_100_000_000, 0.08);
            var start = hour.Start + 120 + r.Next(0, 120);
            new Conversation
            {
                Client = database, ServerIp = s3, ClientPort = r.EphemeralPort(), ServerPort = 443,
                Start = start, End = start + 1500 + r.Next(0, 300), RequestBytes = size, ResponseBytes = size / 45,
                RequestPacketSize = 8_900, ResponsePacketSize = 52, Key = r.NextU64(),
            }.Emit(sink, hour.Start, hour.End);
        }
        foreach (var builder in builders)
        {
            if (!r.Chance(hour.OfficeHours ? 0.8 : 0.15)) continue;
            foreach (var host in codeHosts)
                Internet.Tcp(hour, r, builder, 0, null, host, 443, 5 + r.Next(0, 60), r.LogNormal(40_000, 0.6), r.LogNormal(25_000_000, 0.9)).Emit(sink, hour.Start, hour.End);
        }
    }
}
