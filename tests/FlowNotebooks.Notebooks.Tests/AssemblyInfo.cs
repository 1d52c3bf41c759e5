// A run sets the process's current folder and .NET Interactive's formatters are process-global: runs go one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
