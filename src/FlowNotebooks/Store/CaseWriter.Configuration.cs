using FlowNotebooks.Formats;
using FlowNotebooks.Sources;

namespace FlowNotebooks.Store;

internal sealed partial class CaseWriter
{
    /// <summary>describe-flow-logs entries into <c>flow_logs</c>, inside the open transaction.</summary>
    public void WriteFlowLogs(IReadOnlyList<FlowLogConfig> configs, int evidenceId)
    {
        Begin();
        using var a = Connection.CreateAppender("flow_logs");
        foreach (var c in configs)
            a.CreateRow().AppendValue(c.FlowLogId).AppendValue(c.ResourceId).AppendValue(c.TrafficType).AppendValue(c.LogDestinationType)
                .AppendValue(c.LogDestination).AppendValue(c.LogGroupName).AppendValue(c.LogFormat).AppendValue(c.MaxAggregationInterval)
                .AppendValue(c.FileFormat).AppendValue(c.HiveCompatiblePartitions).AppendValue(c.PerHourPartition).AppendValue(c.CreationTime)
                .AppendValue(c.FlowLogStatus).AppendValue(c.DeliverLogsStatus).AppendValue(evidenceId).AppendValue(c.DeliverLogsErrorMessage).EndRow();
    }

    /// <summary>describe-network-interfaces into <c>interfaces</c> and <c>interface_addresses</c>, inside the open transaction.</summary>
    public void WriteInterfaces(IReadOnlyList<NetworkInterface> interfaces, int evidenceId)
    {
        Begin();
        using (var a = Connection.CreateAppender("interfaces"))
        {
            foreach (var n in interfaces)
                a.CreateRow().AppendValue(n.InterfaceId).AppendValue(n.InterfaceType).AppendValue(n.Description).AppendValue(n.VpcId)
                    .AppendValue(n.SubnetId).AppendValue(n.AvailabilityZone).AppendValue(n.OwnerId).AppendValue(n.RequesterId)
                    .AppendValue(n.RequesterManaged).AppendValue(n.Status).AppendValue(n.InstanceId).AppendValue(n.InstanceOwnerId)
                    .AppendValue(n.PrivateIp).AppendValue(InterfaceInventory.V4(n.PrivateIp)).AppendValue(n.PublicIp).AppendValue(n.Name)
                    .AppendValue(n.Role).AppendValue(evidenceId).EndRow();
        }
        using var b = Connection.CreateAppender("interface_addresses");
        foreach (var n in interfaces)
            foreach (var (ip, primary, pub) in n.Addresses)
                b.CreateRow().AppendValue(n.InterfaceId).AppendValue(ip).AppendValue(InterfaceInventory.V4(ip)).AppendValue(primary).AppendValue(pub).AppendValue(evidenceId).EndRow();
    }
}
