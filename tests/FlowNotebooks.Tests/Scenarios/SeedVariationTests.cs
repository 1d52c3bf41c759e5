using System.Text.Json;
using FlowNotebooks.Scenarios;

namespace FlowNotebooks.Tests.Scenarios;

/// <summary>
/// One case per trainee: another seed gives the same story (the same steps of the same kinds, the same coverage gaps
/// by kind, the same hosts and roles) with different addresses, times and volumes, so an answer cannot be copied.
/// Compared on the plans' answer keys, which are computed from the same conversations the records are written from
/// (the facts tests check keys against records, for a trainee's seed too).
/// </summary>
public sealed class SeedVariationTests
{
    const int StudentA = 1001, StudentB = 1002;

    public static TheoryData<string> Exercises => new(["cryptominer", "vpc-compromise", "s3-exfiltration", "blind-spot"]);

    static AnswerKey Key(string scenario, int seed)
    {
        var s = ScenarioCatalog.Find(scenario);
        return s.Plan(new ScenarioOptions(seed), s.RateFor("small")).Key;
    }

    /// <summary>Every address, time and byte count the key states, by where it is (the story's facts, not its shape).</summary>
    static Dictionary<string, string> Leaves(AnswerKey key)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonElement e, string path)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object: foreach (var p in e.EnumerateObject()) Walk(p.Value, $"{path}/{p.Name}"); break;
                case JsonValueKind.Array: var i = 0; foreach (var x in e.EnumerateArray()) Walk(x, $"{path}/{i++}"); break;
                default: leaves[path] = e.ToString(); break;
            }
        }
        Walk(JsonSerializer.SerializeToElement(key, AnswerKey.Json), "");
        return leaves;
    }

    /// <summary>The shape of the story: each path with numbers, addresses and times blanked out.</summary>
    static List<string> Shape(AnswerKey key) =>
        [.. Leaves(key).Keys.Where(k => k != "/seed").Order(StringComparer.Ordinal)];

    static bool IsAddress(string v) => System.Net.IPAddress.TryParse(v, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && v.Count(ch => ch == '.') == 3;

    [Theory]
    [MemberData(nameof(Exercises))]
    public void Two_seeds_tell_the_same_story_with_different_addresses_times_and_volumes(string scenario)
    {
        var a = Key(scenario, StudentA);
        var b = Key(scenario, StudentB);
        // Same story: the same facts in the same places, the same steps and kinds.
        Assert.Equal(Shape(a), Shape(b));
        Assert.Equal(a.LateralPath.Select(h => (h.Port, h.Service)), b.LateralPath.Select(h => (h.Port, h.Service)));
        // (A host no inventory lists is named by its address.)
        Assert.Equal(a.Hosts.Select(h => (h.Managed ? h.Name : "", h.Role, h.Managed)), b.Hosts.Select(h => (h.Managed ? h.Name : "", h.Role, h.Managed)));
        Assert.Equal(a.Exfiltration?.Destinations.Select(d => d.Port), b.Exfiltration?.Destinations.Select(d => d.Port));
        Assert.Equal((a.Coverage.UnloggedSubnets.Count, a.Coverage.SkipdataWindows.Count, a.Coverage.MissingDeliveryWindows.Count, a.Coverage.LoggingStartedLate.Count),
            (b.Coverage.UnloggedSubnets.Count, b.Coverage.SkipdataWindows.Count, b.Coverage.MissingDeliveryWindows.Count, b.Coverage.LoggingStartedLate.Count));
        Assert.Equal(a.Window, b.Window);

        var la = Leaves(a);
        var lb = Leaves(b);
        var differ = la.Keys.Where(k => la[k] != lb[k]).ToHashSet();
        // Different addresses: every host, the VPC, and every attacker address.
        Assert.All(a.Hosts.Zip(b.Hosts), p => Assert.NotEqual(p.First.PrivateIp, p.Second.PrivateIp));
        Assert.NotEqual(a.VpcCidr, b.VpcCidr);
        Assert.Empty(a.Iocs.Intersect(b.Iocs));
        Assert.Contains(differ, k => IsAddress(la[k]) && k.StartsWith("/iocs", StringComparison.Ordinal));
        // Different times: the story's own timestamps move (not the incident window, nor what the configuration fixes:
        // lifecycle dates from the window start, the collection of vpc-compromise, a capture created before the window,
        // and whatever still runs when the evidence ends, such as mining).
        string[] fixedTimes = ["/window/", "/evidence_window/", "/coverage/logging_started_late/"];
        var times = la.Keys.Where(k => !fixedTimes.Any(f => k.StartsWith(f, StringComparison.Ordinal))
            && DateTime.TryParseExact(la[k], "yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out var t)
            && t < a.Window.End.AddHours(-1)).ToList();
        Assert.NotEmpty(times);
        Assert.All(times, k => Assert.Contains(k, differ));
        // Different volumes: every byte count.
        static bool IsVolume(string k)
        {
            var name = k[(k.LastIndexOf('/') + 1)..];
            return name.Contains("bytes", StringComparison.Ordinal) || name is "lower" or "actual";
        }
        var volumes = la.Keys.Where(k => IsVolume(k) && long.TryParse(la[k], out _)).ToList();
        Assert.NotEmpty(volumes);
        Assert.All(volumes, k => Assert.Contains(k, differ));
        // Different keys.
        Assert.NotEqual(JsonSerializer.Serialize(a, AnswerKey.Json), JsonSerializer.Serialize(b, AnswerKey.Json));
    }

    [Theory]
    [MemberData(nameof(Exercises))]
    public void The_same_seed_gives_the_same_key_and_the_default_seed_keeps_the_shops_named_addresses(string scenario)
    {
        Assert.Equal(JsonSerializer.Serialize(Key(scenario, StudentA), AnswerKey.Json), JsonSerializer.Serialize(Key(scenario, StudentA), AnswerKey.Json));
        var key = Key(scenario, ScenarioOptions.DefaultSeed);
        Assert.Equal("10.20.0.0/16", key.VpcCidr);
        Assert.Equal("10.20.10.11", key.Hosts.Single(h => h.Name == "web-1").PrivateIp);
        Assert.Equal("10.20.30.40", key.Hosts.Single(h => h.Name == "db-1").PrivateIp);
    }
}
