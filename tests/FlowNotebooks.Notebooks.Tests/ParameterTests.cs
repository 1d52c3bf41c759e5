using FlowNotebooks.Notebooks.Tests.Fixtures;
using static FlowNotebooks.Notebooks.Tests.Fixtures.Workspace;

namespace FlowNotebooks.Notebooks.Tests;

public class ParameterTests
{
    static readonly (string, string[])[] Typed =
    [
        Code("var topN = 10;\nstring label = \"default\";\nvar ratio = 1.5;\nvar deep = false;\nlong bytes = 0;\nDateTime from = DateTime.MinValue;", "parameters"),
        Code("Console.Write($\"{topN.GetType().Name}:{topN}|{label}|{ratio.GetType().Name}:{ratio}|{deep}|{bytes.GetType().Name}:{bytes}|{from:yyyy-MM-ddTHH:mm:ss}|{from.Kind}\");"),
    ];

    [Fact]
    public async Task Values_are_injected_after_the_parameters_cell_typed_like_the_defaults()
    {
        using var ws = new Workspace();
        var nb = ws.Ipynb("typed.ipynb", Typed);
        var run = await NotebookRunner.RunAsync(nb, new Dictionary<string, string>
        {
            ["label"] = "say \"hi\"\\n", ["topN"] = "3", ["ratio"] = "2.25", ["deep"] = "true", ["bytes"] = "5000000000", ["from"] = "2026-03-01T10:00:00Z",
        });

        Assert.True(run.Succeeded, run.FirstFailure?.ToString());
        var injected = run.Document.Cells[1];
        Assert.Equal([NotebookParameters.InjectedTag], injected.Tags);
        Assert.Contains("topN = 3;", injected.Source);
        var stdout = Assert.IsType<StreamOutput>(Assert.Single(run.Document.Cells[2].Outputs));
        Assert.Equal("Int32:3|say \"hi\"\\n|Double:2.25|True|Int64:5000000000|2026-03-01T10:00:00|Utc", stdout.Text);
        // Recorded in the parameters cell's order, whatever order they were given in.
        Assert.Equal(["topN", "label", "ratio", "deep", "bytes", "from"], run.Parameters.Select(p => p.Key));
    }

    [Fact]
    public async Task Without_values_the_defaults_run_and_no_cell_is_injected()
    {
        using var ws = new Workspace();
        var run = await NotebookRunner.RunAsync(ws.Ipynb("defaults.ipynb", Typed));
        Assert.True(run.Succeeded, run.FirstFailure?.ToString());
        Assert.Equal(2, run.Document.Cells.Count);
        Assert.StartsWith("Int32:10|default|", Assert.IsType<StreamOutput>(Assert.Single(run.Document.Cells[1].Outputs)).Text);
    }

    [Fact]
    public async Task An_unknown_parameter_is_refused_before_anything_runs_naming_the_declared_ones()
    {
        using var ws = new Workspace();
        var marker = ws.PathOf("ran.txt");
        var nb = ws.Ipynb("unknown.ipynb", Code("var topN = 10;", "parameters"), Code($"System.IO.File.WriteAllText(@\"{marker}\", \"x\");"));
        var e = await Assert.ThrowsAsync<NotebookParameterException>(() => NotebookRunner.RunAsync(nb, new Dictionary<string, string> { ["top"] = "3" }));
        Assert.Equal("Unknown parameter 'top': the notebook's parameters cell declares topN (int).", e.Message);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("topN", "ten", "Parameter 'topN' is a whole number (int) (its default is 10): 'ten' is not one.")]
    [InlineData("deep", "yes", "Parameter 'deep' is true or false (its default is false): 'yes' is not one.")]
    public async Task A_value_of_the_wrong_type_is_refused(string name, string value, string message)
    {
        using var ws = new Workspace();
        var nb = ws.Ipynb("wrong.ipynb", Code("var topN = 10;\nvar deep = false;", "parameters"));
        var e = await Assert.ThrowsAsync<NotebookParameterException>(() => NotebookRunner.RunAsync(nb, new Dictionary<string, string> { [name] = value }));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task Parameters_for_a_notebook_without_a_parameters_cell_are_refused()
    {
        using var ws = new Workspace();
        var nb = ws.Ipynb("plain.ipynb", Code("var topN = 10;"));
        var e = await Assert.ThrowsAsync<NotebookParameterException>(() => NotebookRunner.RunAsync(nb, new Dictionary<string, string> { ["topN"] = "3" }));
        Assert.Contains("has no parameters cell", e.Message);
    }

    [Fact]
    public async Task A_path_given_from_the_callers_folder_reaches_the_notebook_relative_to_its_folder()
    {
        using var ws = new Workspace();
        var sub = Directory.CreateDirectory(ws.PathOf("notebooks")).FullName;
        var nb = Path.Combine(sub, "paths.ipynb");
        File.Move(ws.Ipynb("paths.ipynb", Code("var evidence = \"none\";", "parameters"), Code("Console.Write(System.IO.Directory.Exists(evidence) + \" \" + evidence);")), nb);
        var run = await NotebookRunner.RunAsync(nb, new Dictionary<string, string> { ["evidence"] = "evidence" }, new NotebookRunOptions { CallerDirectory = ws.Folder });
        Assert.True(run.Succeeded, run.FirstFailure?.ToString());
        Assert.Equal("True ../evidence", Assert.IsType<StreamOutput>(Assert.Single(run.Document.Cells[2].Outputs)).Text);
        Assert.Equal("../evidence", run.Parameters.Single().Value);
    }
}
