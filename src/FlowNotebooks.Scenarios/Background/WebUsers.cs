using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Background;

/// <summary>
/// Customers on the internet browsing the shop: a TLS session to a load balancer node, which proxies each page to a web
/// server, which calls the app tier, which queries the database. This is the traffic that <c>--scale</c> multiplies.
/// </summary>
public sealed class WebUsers(IReadOnlyList<Workload> albNodes, IReadOnlyList<Workload> web, IReadOnlyList<Workload> app, Workload database,
    double sessionsPerHourAtPeak = 40) : ITrafficSource
{
    public void Emit(TrafficHour hour)
    {
        var r = hour.Random("web-users");
        var sessions = r.Poisson(sessionsPerHourAtPeak * hour.Rate * hour.Load);
        var sink = hour.Sink;
        for (var i = 0; i < sessions; i++)
        {
            var seconds = (int)Math.Min(240, r.LogNormal(25, 0.8));
            var start = hour.At(r, seconds + 2);
            var pages = 1 + r.Next(0, 8);
            var response = pages * r.LogNormal(60_000, 0.7);
            var node = r.Pick(albNodes);
            Span(sink, hour, r, null, Internet.RandomHost(r), node, 0, 443, start, start + seconds, pages * r.LogNormal(900, 0.4), response + 4_000);
            var w = r.Pick(web);
            Span(sink, hour, r, node, 0, w, 0, 80, start, start + seconds, pages * 700L, response);
            var a = r.Pick(app);
            Span(sink, hour, r, w, 0, a, 0, 8080, start + 1, start + Math.Max(1, seconds / 2), pages * 450L, response / 3);
            Span(sink, hour, r, a, 0, database, 0, 5432, start + 1, start + Math.Max(1, seconds / 3), pages * 300L, pages * r.LogNormal(8_000, 1.0));
        }
    }

    static void Span(IFlowSink sink, TrafficHour hour, ScenarioRandom r, Workload? client, uint clientIp, Workload? server, uint serverIp, ushort port,
        long start, long end, long requestBytes, long responseBytes) =>
        new Conversation
        {
            Client = client, ClientIp = clientIp, Server = server, ServerIp = serverIp, ClientPort = r.EphemeralPort(), ServerPort = port,
            Start = start, End = end, RequestBytes = requestBytes + 260, ResponseBytes = responseBytes + 200, Key = r.NextU64(),
        }.Emit(sink, hour.Start, hour.End);
}
