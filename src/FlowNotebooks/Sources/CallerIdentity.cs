namespace FlowNotebooks.Sources;

/// <summary>The AWS principal a collection ran as (STS GetCallerIdentity), or why it is not known.</summary>
public sealed record CallerIdentity(string? Arn, string? Account, string? UserId, string? Error);
