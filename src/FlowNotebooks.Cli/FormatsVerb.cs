using System.CommandLine;
using FlowNotebooks.Formats;

namespace FlowNotebooks.Cli;

/// <summary><c>flownb formats</c>: the field catalogue.</summary>
internal static class FormatsVerb
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("formats", "List every flow-log field the engine knows: version, type, case-store column, meaning and values.");
        command.SetAction(_ =>
        {
            output.WriteLine($"{"field",-28} {"ver",3} {"type",-9} {"column",-28} meaning");
            foreach (var f in FieldCatalog.All)
            {
                var values = f.AllowedValues.Count > 0 ? $" Values: {string.Join(", ", f.AllowedValues)}." : "";
                output.WriteLine($"{f.Name,-28} {f.Version,3} {f.Kind,-9} {f.Column,-28} {(f.TransitGatewayOnly ? "[TGW] " : "")}{f.Meaning}{values}");
            }
            output.WriteLine();
            output.WriteLine($"Default format: {FlowLogFormat.DefaultLogFormat}");
            output.WriteLine($"Transit gateway default format: {FlowLogFormat.TransitGatewayDefaultLogFormat}");
            output.WriteLine("Fields not listed are kept as text under their own name.");
            return 0;
        });
        return command;
    }
}
