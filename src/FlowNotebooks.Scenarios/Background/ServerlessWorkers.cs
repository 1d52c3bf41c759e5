using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios.Background;

/// <summary>
/// A VPC Lambda function calling the app tier in bursts (its interface logs NODATA for idle 10-minute intervals) and ECS
/// tasks polling a queue over the NAT gateway and reporting to the app tier every five minutes.
/// </summary>
public sealed class ServerlessWorkers(Workload lambda, Workload lambdaTarget, IReadOnlyList<Workload> tasks, Workload taskTarget, uint queue) : ITrafficSource
{
    public void Emit(TrafficHour hour)
    {
        var r = hour.Random("serverless-workers");
        var sink = hour.Sink;
        for (var block = hour.Start; block < hour.End; block += 600)
        {
            var calls = hour.OfficeHours ? r.Poisson(2.5) : r.Poisson(0.2);
            if (calls == 0)
            {
                sink.Record(FlowRecord.Gap(lambda, block, block + 599, RecordStatus.NoData));
                continue;
            }
            for (var i = 0; i < calls; i++)
            {
                var s = block + r.Next(0, 590);
                new Conversation
                {
                    Client = lambda, Server = lambdaTarget, ClientPort = r.EphemeralPort(), ServerPort = 8080,
                    Start = s, End = s + r.Next(0, 4), RequestBytes = r.LogNormal(3_000, 0.5), ResponseBytes = r.LogNormal(40_000, 0.8), Key = r.NextU64(),
                }.Emit(sink, hour.Start, hour.End);
            }
        }
        foreach (var task in tasks)
        {
            var phase = (long)(ScenarioRandom.Key(hour.Seed, task.Name) % 300);
            for (var t = hour.Start + phase; t < hour.End - 5; t += 300)
            {
                new Conversation
                {
                    Client = task, ServerIp = queue, ClientPort = r.EphemeralPort(), ServerPort = 443,
                    Start = t, End = t + 1 + r.Next(0, 2), RequestBytes = 1_900 + r.Next(0, 400), ResponseBytes = 5_200 + r.Next(0, 3_000), Key = r.NextU64(),
                }.Emit(sink, hour.Start, hour.End);
                if (r.Chance(0.5))
                    new Conversation
                    {
                        Client = task, Server = taskTarget, ClientPort = r.EphemeralPort(), ServerPort = 8080,
                        Start = t + 3, End = t + 4, RequestBytes = r.LogNormal(6_000, 0.5), ResponseBytes = 900, Key = r.NextU64(),
                    }.Emit(sink, hour.Start, hour.End);
            }
        }
    }
}
