using FlowNotebooks.Cli;

namespace FlowNotebooks.Cli.Tests;

/// <summary>Runs <c>flownb</c> in-process through its real entry, capturing standard output and error.</summary>
public static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = FlowCli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}
