// Formatter registrations and the flow-sql kernel's state are process-global in .NET Interactive: tests that submit to
// kernels or assert formatter output must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
