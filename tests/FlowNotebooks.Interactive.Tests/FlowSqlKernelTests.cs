using FlowNotebooks.Interactive.Tests.Fixtures;

namespace FlowNotebooks.Interactive.Tests;

public class FlowSqlKernelTests
{
    static async Task<Microsoft.DotNet.Interactive.CompositeKernel> LoadedAsync(Evidence evidence)
    {
        var kernel = NotebookKernel.Create();
        await kernel.RunAsync($"#!flow-load \"{evidence.Folder}\"");
        return kernel;
    }

    [Fact]
    public async Task It_shows_the_result_and_binds_a_dataframe_the_next_cell_can_use()
    {
        using var evidence = new Evidence();
        using var kernel = await LoadedAsync(evidence);
        var result = await kernel.RunAsync("""
            #!flow-sql --name bySource
            SELECT srcaddr, sum(bytes) AS total, count(*) AS flows FROM flows GROUP BY srcaddr ORDER BY total DESC
            """);
        Assert.Contains("10.0.0.9", result.Html());
        Assert.Contains("3 of 3 rows shown", result.Html());

        Assert.Equal(3L, await kernel.ValueAsync("bySource.Rows.Count"));
        // sum() is a 128-bit HUGEINT in DuckDB: it arrives as an Int64 column with the exact total.
        Assert.Equal("Int64DataFrameColumn", await kernel.ValueAsync("bySource.Columns[\"total\"].GetType().Name"));
        Assert.Equal(Evidence.TotalBytes, await kernel.ValueAsync("(long)bySource.Columns[\"total\"].Sum()"));
        Assert.Equal("10.0.0.9", await kernel.ValueAsync("bySource.Columns[\"srcaddr\"][0]"));
    }

    [Fact]
    public async Task A_result_over_the_row_cap_fails_and_the_cap_can_be_raised_explicitly()
    {
        using var evidence = new Evidence();
        using var kernel = await LoadedAsync(evidence);
        var message = await kernel.FailAsync("#!flow-sql --name all --max-rows 2\nSELECT * FROM flows");
        Assert.Contains("more than 2 rows", message);

        await kernel.RunAsync("var cap = 0;");
        await kernel.RunAsync("#!flow-sql --name all --max-rows @csharp:cap\nSELECT * FROM flows");
        Assert.Equal((long)Evidence.Records.Length, await kernel.ValueAsync("all.Rows.Count"));
    }

    [Fact]
    public async Task Bad_sql_fails_once_with_the_database_message()
    {
        using var evidence = new Evidence();
        using var kernel = await LoadedAsync(evidence);
        var message = await kernel.FailAsync("#!flow-sql\nSELECT no_such_column FROM flows");
        Assert.Contains("no_such_column", message);
        Assert.DoesNotContain("   at ", message);
    }

    [Theory]
    [InlineData("--max-rows lots", "--max-rows")]
    [InlineData("--name 9lives", "9lives")]
    public async Task A_bad_parameter_fails_once(string parameter, string named)
    {
        using var evidence = new Evidence();
        using var kernel = await LoadedAsync(evidence);
        var message = await kernel.FailAsync($"#!flow-sql {parameter}\nSELECT 1");
        Assert.Contains(named, message);
    }

    [Fact]
    public async Task Parameters_can_come_from_an_input_prompt()
    {
        using var evidence = new Evidence();
        using var kernel = NotebookKernel.Create("fromPrompt");
        await kernel.RunAsync($"#!flow-load \"{evidence.Folder}\"");
        await kernel.RunAsync("#!flow-sql --name @input:\"Variable\"\nSELECT 42 AS answer");
        Assert.Equal(42, await kernel.ValueAsync("fromPrompt.Columns[\"answer\"][0]"));
    }

    [Fact]
    public async Task Csharp_and_magics_mix_through_the_flow_case_api()
    {
        using var evidence = new Evidence();
        using var kernel = await LoadedAsync(evidence);
        Assert.Equal(2L, await kernel.ValueAsync("flowCase.Flows(\"srcaddr = $1\", \"10.0.0.5\").Rows.Count"));
        Assert.Equal(Evidence.TotalBytes, await kernel.ValueAsync("(long)flowCase.Query(\"SELECT sum(bytes) AS b FROM flows\").Columns[\"b\"][0]"));
    }
}
