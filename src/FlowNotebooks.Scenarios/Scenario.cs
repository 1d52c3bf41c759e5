using FlowNotebooks.Scenarios.Delivery;
using FlowNotebooks.Scenarios.Network;
using FlowNotebooks.Scenarios.Traffic;

namespace FlowNotebooks.Scenarios;

/// <summary>How to generate: the seed, how much background traffic, which delivery variants.</summary>
public sealed record ScenarioOptions(int Seed = ScenarioOptions.DefaultSeed, string Scale = "small", CaseFormats Formats = CaseFormats.All)
{
    public const int DefaultSeed = 20251118;
}

/// <summary>An incident story: the network, its flow logs and their gaps, the traffic, and the answer key.</summary>
public abstract class Scenario
{
    public abstract string Name { get; }
    public abstract string Summary { get; }

    /// <summary>Records the scenario writes at rate 0 (everything but user traffic) and per unit of rate, measured; used to hit a record count.</summary>
    protected abstract (long Fixed, long PerRate) Calibration { get; }

    public abstract ScenarioPlan Plan(ScenarioOptions options, double rate);

    /// <summary>The user-traffic multiplier for a scale: small = 1, medium ≈ 10^7 records, large ≥ 10^8, or a record count.</summary>
    public double RateFor(string scale)
    {
        long target = scale.ToLowerInvariant() switch
        {
            "small" => 0,
            "medium" => 10_000_000,
            "large" => 110_000_000,
            _ => long.TryParse(scale.Replace("_", ""), System.Globalization.NumberStyles.AllowExponent | System.Globalization.NumberStyles.Float,
                    System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new FormatException($"Unknown scale '{scale}': use small, medium, large or a record count."),
        };
        if (target == 0) return 1;
        var (fixedRecords, perRate) = Calibration;
        return Math.Max(0, (double)(target - fixedRecords) / perRate);
    }
}

/// <summary>Everything a generation needs, fixed before the first record is written.</summary>
public sealed class ScenarioPlan
{
    public required VpcTopology Vpc { get; init; }
    public required IReadOnlyList<Capture> Captures { get; init; }
    public IReadOnlyList<MissingDelivery> MissingDeliveries { get; init; } = [];
    public IReadOnlyList<SkipWindow> SkipWindows { get; init; } = [];
    public required IReadOnlyList<ITrafficSource> Sources { get; init; }
    public required AnswerKey Key { get; init; }
    /// <summary>The configuration that dates the evidence (bucket state, log group retention), written beside it; null for none.</summary>
    public Delivery.RetentionPlan? Retention { get; init; }
    /// <summary>Attacker infrastructure with a note each, for iocs.txt.</summary>
    public required IReadOnlyList<(string Ip, string Note)> Iocs { get; init; }
    /// <summary>What the case folder is, for the analyst (README.md in the folder; not evidence).</summary>
    public required string Briefing { get; init; }
    public DateTime Start => Key.Window.Start;
    public DateTime End => Key.Window.End;
}
