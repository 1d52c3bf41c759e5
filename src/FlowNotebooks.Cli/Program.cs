return FlowNotebooks.Cli.FlowCli.Run(args, Console.Out, Console.Error);
