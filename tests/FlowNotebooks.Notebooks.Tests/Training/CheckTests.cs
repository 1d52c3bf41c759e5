using System.Text.Json.Nodes;
using FlowNotebooks.Interactive;
using FlowNotebooks.Scenarios;
using FlowNotebooks.Training;
using FlowNotebooks.Training.Checks;

namespace FlowNotebooks.Notebooks.Tests.Training;

/// <summary>How answers compare, on a key written here (no generation), and what the roster accepts.</summary>
public class CheckTests
{
    static readonly AnswerKey Key = new()
    {
        Scenario = "test", Seed = 7, Scale = "small", Story = "", AccountId = "111122223333", Region = "eu-west-1", VpcId = "vpc-1", VpcCidr = "10.1.0.0/16",
        Window = new TimeWindow(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc)),
        Hosts = [], Iocs = [], Coverage = new KeyCoverage([], [], []),
        LateralPath =
        [
            new KeyHop("10.1.10.5", "10.1.20.7", 22, "ssh", new DateTime(2026, 1, 1, 3, 0, 0, DateTimeKind.Utc)),
            new KeyHop("10.1.20.7", "10.1.30.9", 22, "ssh", new DateTime(2026, 1, 1, 4, 0, 0, DateTimeKind.Utc)),
        ],
    };

    static JsonNode? A(object? value) => AnswerJson.From(value);

    [Fact]
    public void An_answer_of_any_csharp_shape_becomes_json_the_checks_read()
    {
        Assert.Equal("""["10.1.10.5","203.0.113.9"]""", A(("10.1.10.5", "203.0.113.9"))!.ToJsonString());
        Assert.Equal("""{"a":1,"b":2}""", A(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 })!.ToJsonString());
        Assert.Equal("""["x","y"]""", A(new List<string> { "x", "y" })!.ToJsonString());
        Assert.Equal("\"2026-01-01T03:00:00Z\"", A(new DateTime(2026, 1, 1, 3, 0, 0, DateTimeKind.Utc))!.ToJsonString());
        Assert.Equal("300", A(300L)!.ToJsonString());
        Assert.Null(A(null));
    }

    [Fact]
    public void An_ordered_answer_needs_the_order_and_a_set_answer_does_not()
    {
        var ordered = new OrderedAnswer(k => k.LateralPath.Select(h => h.DestinationIp));
        var set = new SetAnswer(k => k.LateralPath.Select(h => h.DestinationIp));
        Assert.True(ordered.Accepts(A(new[] { "10.1.20.7", "10.1.30.9" }), Key));
        Assert.False(ordered.Accepts(A(new[] { "10.1.30.9", "10.1.20.7" }), Key));
        Assert.False(ordered.Accepts(A(new[] { "10.1.20.7" }), Key));
        Assert.True(set.Accepts(A(new[] { "10.1.30.9", "10.1.20.7", "10.1.30.9" }), Key));
        Assert.False(set.Accepts(A(new[] { "10.1.30.9", "10.1.20.7", "10.1.10.5" }), Key));
        Assert.False(set.Accepts(null, Key));
        Assert.Equal("10.1.20.7 then 10.1.30.9", ordered.Expected(Key));
    }

    [Fact]
    public void Figures_are_right_within_their_tolerance_or_bounds_and_wrong_outside()
    {
        // 1 % of 2,000,000 is 20,000 either way.
        var within = NumberAnswer.Within(_ => 2_000_000, 0.01);
        Assert.True(within.Accepts(A(2_020_000L), Key));
        Assert.True(within.Accepts(A("1,980,000"), Key));
        Assert.False(within.Accepts(A(2_020_001L), Key));
        Assert.False(within.Accepts(A("about two million"), Key));
        var bounds = NumberAnswer.Between(_ => (1_000, 5_000));
        Assert.True(bounds.Accepts(A(1_000), Key));
        Assert.True(bounds.Accepts(A(5_000.0), Key));
        Assert.False(bounds.Accepts(A(999), Key));
        Assert.Equal("1,000 to 5,000", bounds.Expected(Key));

        var amounts = new AmountsAnswer(_ => new Dictionary<string, long> { ["203.0.113.9"] = 1_000_000, ["198.51.100.4"] = 500 }, 0.01);
        Assert.True(amounts.Accepts(A(new Dictionary<string, long> { ["198.51.100.4"] = 505, ["203.0.113.9"] = 990_000 }), Key));
        Assert.False(amounts.Accepts(A(new Dictionary<string, long> { ["198.51.100.4"] = 506, ["203.0.113.9"] = 1_000_000 }), Key));
        Assert.False(amounts.Accepts(A(new Dictionary<string, long> { ["203.0.113.9"] = 1_000_000 }), Key));
        Assert.False(amounts.Accepts(A(new[] { "203.0.113.9" }), Key));

        var time = new TimeAnswer(k => k.LateralPath[0].FirstSeen, TimeSpan.FromMinutes(2));
        Assert.True(time.Accepts(A(new DateTime(2026, 1, 1, 3, 2, 0, DateTimeKind.Utc)), Key));
        Assert.True(time.Accepts(A("2026-01-01 02:58"), Key));
        Assert.False(time.Accepts(A("2026-01-01T03:02:01Z"), Key));
    }

    [Fact]
    public void An_exact_answer_ignores_case_and_spaces_but_not_a_different_value()
    {
        var exact = new ExactAnswer(_ => "subnet-0abc");
        Assert.True(exact.Accepts(A(" SUBNET-0ABC "), Key));
        Assert.False(exact.Accepts(A("subnet-0abd"), Key));
        Assert.False(exact.Accepts(A(new[] { "subnet-0abc" , "x" }), Key));
    }

    [Fact]
    public void A_roster_with_a_bad_or_repeated_id_is_refused_naming_its_line()
    {
        Assert.Equal([new Student("a1", "Ann"), new Student("b.2", "")], Roster.Parse("name,id\nAnn,a1\n\n,b.2\n"));
        Assert.Contains("line 3", Assert.Throws<FormatException>(() => Roster.Parse("id\nann\nANN\n")).Message);
        Assert.Contains("line 2", Assert.Throws<FormatException>(() => Roster.Parse("id\n../etc\n")).Message);
        Assert.Contains("'id' column", Assert.Throws<FormatException>(() => Roster.Parse("student,name\nann,Ann\n")).Message);
        Assert.Contains("no students", Assert.Throws<FormatException>(() => Roster.Parse("id,name\n")).Message);
    }

    [Fact]
    public void Seeds_depend_on_the_student_the_exercise_and_the_class_secret_only()
    {
        Assert.Equal(StudentSeed.For("cryptominer", "ann"), StudentSeed.For("cryptominer", "ANN"));
        Assert.NotEqual(StudentSeed.For("cryptominer", "ann"), StudentSeed.For("cryptominer", "bob"));
        Assert.NotEqual(StudentSeed.For("cryptominer", "ann"), StudentSeed.For("vpc-compromise", "ann"));
        Assert.NotEqual(StudentSeed.For("cryptominer", "ann"), StudentSeed.For("cryptominer", "ann", "class of 2026"));
        Assert.InRange(StudentSeed.For("cryptominer", "ann"), 0, int.MaxValue);
    }
}
