using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace FlowNotebooks.Sources.Aws;

/// <summary>The parts of a SigV4 signature, for checking against AWS's test-suite vectors.</summary>
public sealed record SigV4Signature(string CanonicalRequest, string StringToSign, string SignedHeaders, string Signature, string Authorization);

/// <summary>
/// AWS Signature Version 4 for JSON APIs called without their SDK package (CloudWatch Logs). We build the canonical
/// request (method, URI, sorted and encoded query, lower-cased trimmed headers joined per name, payload hash); key
/// derivation and HMAC are AWSSDK.Core's <see cref="AWS4Signer"/>, so the cryptography is the SDK's own.
/// </summary>
public static class SigV4Signer
{
    /// <summary>Signs a request described by its parts; <paramref name="headers"/> must include host and x-amz-date.</summary>
    public static SigV4Signature Sign(string method, string path, string? query, IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body, string accessKey, string secretKey, string region, string service, DateTime signedAt)
    {
        var grouped = headers
            .GroupBy(h => h.Key.Trim().ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(",", g.Select(h => Collapse(h.Value)))))
            .ToList();
        var signedHeaders = string.Join(";", grouped.Select(g => g.Name));
        var canonical = new StringBuilder()
            .Append(method.ToUpperInvariant()).Append('\n')
            .Append(CanonicalPath(path)).Append('\n')
            .Append(CanonicalQuery(query)).Append('\n');
        foreach (var (name, value) in grouped) canonical.Append(name).Append(':').Append(value).Append('\n');
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Convert.ToHexStringLower(SHA256.HashData(body)));
        var canonicalRequest = canonical.ToString();

        var utc = signedAt.ToUniversalTime();
        var amzDate = utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = $"{utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

        var result = AWS4Signer.ComputeSignature(accessKey, secretKey, region, utc, service, signedHeaders, canonicalRequest);
        return new SigV4Signature(canonicalRequest, stringToSign, signedHeaders, result.Signature, result.ForAuthorizationHeader);
    }

    /// <summary>Signs with resolved credentials (the session token, if any, must already be among the headers).</summary>
    public static SigV4Signature Sign(string method, string path, string? query, IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body, ImmutableCredentials credentials, string region, string service, DateTime signedAt) =>
        Sign(method, path, query, headers, body, credentials.AccessKey, credentials.SecretKey, region, service, signedAt);

    /// <summary>Header values: trimmed, inner runs of spaces collapsed to one.</summary>
    static string Collapse(string value)
    {
        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c == ' ' || c == '\t')
            {
                if (!space) sb.Append(' ');
                space = true;
            }
            else
            {
                sb.Append(c);
                space = false;
            }
        }
        return sb.ToString();
    }

    /// <summary>Each path segment URI-encoded (non-S3 services also normalise the path; ours is always "/").</summary>
    static string CanonicalPath(string path)
    {
        if (string.IsNullOrEmpty(path)) return "/";
        return string.Join("/", path.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))));
    }

    /// <summary>Parameters decoded, re-encoded with AWS's rules, sorted by name then value.</summary>
    static string CanonicalQuery(string? query)
    {
        if (string.IsNullOrEmpty(query)) return "";
        return string.Join("&", query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p =>
            {
                var eq = p.IndexOf('=');
                var k = eq < 0 ? p : p[..eq];
                var v = eq < 0 ? "" : p[(eq + 1)..];
                return (Key: Encode(Uri.UnescapeDataString(k)), Value: Encode(Uri.UnescapeDataString(v)));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>RFC 3986 encoding: unreserved characters as they are, every other UTF-8 byte as %XX (upper-case hex).</summary>
    static string Encode(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
