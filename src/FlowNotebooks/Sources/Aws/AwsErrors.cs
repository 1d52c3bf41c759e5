using System.Net;
using Amazon.Runtime;

namespace FlowNotebooks.Sources.Aws;

/// <summary>A failure of an AWS acquisition, with a message an analyst can act on (never a key, token or signed URL).</summary>
public sealed class AwsAcquisitionException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An error answer of an AWS JSON API called without its SDK package (CloudWatch Logs).</summary>
public sealed class AwsCallException(HttpStatusCode status, string errorCode, string message)
    : Exception($"{errorCode} ({(int)status}): {message}")
{
    public HttpStatusCode Status { get; } = status;
    public string ErrorCode { get; } = errorCode;
}

/// <summary>Sorts AWS failures into retry-worthy, credential problems and the rest, and words them for the analyst.</summary>
public static class AwsErrors
{
    static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "RequestLimitExceeded", "BandwidthLimitExceeded", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", "LimitExceededException",
    };

    static readonly HashSet<string> ExpiredCredentials = new(StringComparer.Ordinal)
    {
        "ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired", "InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId",
    };

    /// <summary>(status, error code) of a failed AWS call, from the SDK's or our own exception.</summary>
    public static (HttpStatusCode? Status, string? Code) Answer(Exception ex) => ex switch
    {
        AmazonServiceException s when s.StatusCode != 0 || s.ErrorCode is not null => (s.StatusCode == 0 ? null : s.StatusCode, s.ErrorCode),
        AwsCallException c => (c.Status, c.ErrorCode),
        _ => (null, null),
    };

    public static bool IsThrottling(Exception ex)
    {
        var (status, code) = Answer(ex);
        return status == HttpStatusCode.TooManyRequests || (code is not null && Throttling.Contains(code));
    }

    public static bool IsExpiredCredentials(Exception ex) => Answer(ex).Code is { } c && ExpiredCredentials.Contains(c);

    /// <summary>Throttling, 5xx, timeouts and broken connections are worth another try; answers about the request are not.</summary>
    public static bool IsRetryable(Exception ex)
    {
        if (IsThrottling(ex)) return true;
        var (status, code) = Answer(ex);
        if (status is { } s) return (int)s >= 500;
        if (code is not null) return false;
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is IOException or HttpRequestException or System.Net.Sockets.SocketException or TimeoutException) return true;
            if (e is TaskCanceledException { InnerException: TimeoutException }) return true;
        }
        return false;
    }

    /// <summary>Turns a failure into an <see cref="AwsAcquisitionException"/> saying what to do about it.</summary>
    public static AwsAcquisitionException Explain(Exception ex, string what, AwsSettings settings)
    {
        if (ex is AwsAcquisitionException a) return a;
        var profile = settings.EffectiveProfile is { } p ? $"profile '{p}'" : "the default credentials";
        var (status, code) = Answer(ex);
        if (IsExpiredCredentials(ex))
            return new AwsAcquisitionException(
                $"{what}: the AWS credentials of {profile} are expired or not recognised ({code}). Refresh them (for SSO: aws sso login" +
                (settings.EffectiveProfile is { } n ? $" --profile {n}" : "") + ") and run again; objects already acquired and verified are kept.", ex);
        if (code is "AccessDenied" or "AccessDeniedException" or "UnauthorizedOperation" or "AllAccessDisabled")
            return new AwsAcquisitionException($"{what}: access denied for {profile} ({code}). The role needs read access to this resource.", ex);
        if (code is "NoSuchBucket" or "ResourceNotFoundException")
            return new AwsAcquisitionException($"{what}: not found ({code}).", ex);
        if (IsThrottling(ex))
            return new AwsAcquisitionException($"{what}: still throttled by AWS after retries ({code ?? "429"}). Run again later or with fewer workers.", ex);
        if (status is { } s)
            return new AwsAcquisitionException($"{what}: AWS answered {(int)s} {code}: {FirstLine(ex.Message)}", ex);
        return new AwsAcquisitionException($"{what}: {FirstLine(ex.Message)}", ex);
    }

    static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
