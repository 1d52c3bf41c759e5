namespace FlowNotebooks.Scenarios.Traffic;

/// <summary>Where traffic sources put what they generate.</summary>
public interface IFlowSink
{
    /// <summary>A conversation window; routing decides which interfaces log it.</summary>
    void Flow(in FlowWindow window);

    /// <summary>A record already tied to one interface (NODATA, SKIPDATA).</summary>
    void Record(in FlowRecord record);
}

/// <summary>Receives records per interface (the capture side).</summary>
public interface IRecordSink
{
    void Write(in FlowRecord record);
}
