using FlowNotebooks.Tests.TestSupport;

namespace FlowNotebooks.Cli.Tests;

public sealed class GenerateVerbTests
{
    static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void List_names_every_scenario_and_marks_the_default()
    {
        var (code, output, _) = Run("generate", "--list");
        Assert.Equal(0, code);
        Assert.Contains("vpc-compromise   (default)", output);
        Assert.Contains("cryptominer", output);
    }

    [Fact]
    public void It_refuses_a_folder_that_is_not_empty_and_unknown_names()
    {
        var dir = Directory.CreateTempSubdirectory("flownb-busy-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "notes.txt"), "mine");
            var (code, _, err) = Run("generate", "--out", dir.FullName, "--formats", "text");
            Assert.Equal(1, code);
            Assert.Contains("not empty", err);
            Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(dir.FullName).Select(Path.GetFileName));
            Assert.Contains("No scenario 'nope'", Run("generate", "--scenario", "nope", "--out", Path.Combine(dir.FullName, "x")).Err);
            Assert.Contains("Unknown scale", Run("generate", "--scale", "huge", "--out", Path.Combine(dir.FullName, "x")).Err);
            Assert.Contains("Unknown format 'csv'", Run("generate", "--formats", "text,csv", "--out", Path.Combine(dir.FullName, "x")).Err);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Scale_names_map_to_record_targets_of_the_right_size()
    {
        var s = FlowNotebooks.Scenarios.ScenarioCatalog.Default;
        Assert.Equal(1, s.RateFor("small"));
        Assert.True(s.RateFor("large") > 30 * s.RateFor("medium") / 4);
        Assert.True(s.RateFor("1e8") * 27_100 + 91_600 >= 99_000_000);
        Assert.Equal(s.RateFor("2000000"), s.RateFor("2_000_000"));
    }
}
