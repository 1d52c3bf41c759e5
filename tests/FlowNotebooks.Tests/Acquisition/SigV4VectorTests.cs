using System.Text;
using FlowNotebooks.Sources.Aws;

namespace FlowNotebooks.Tests.Acquisition;

/// <summary>The signer against AWS's published Signature Version 4 test suite (Data/sigv4, see its README).</summary>
public sealed class SigV4VectorTests
{
    const string AccessKey = "AKIDEXAMPLE";
    const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static readonly DateTime SignedAt = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(TestPaths.SigV4Vectors).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(dir));
        return data;
    }

    [Fact]
    public void The_vector_set_is_present() => Assert.Equal(11, Vectors().Count);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Signer_reproduces_the_published_vector(string name)
    {
        string Read(string ext) => File.ReadAllText(Path.Combine(TestPaths.SigV4Vectors, name, $"{name}.{ext}"), Encoding.UTF8);
        string? Maybe(string ext) => File.Exists(Path.Combine(TestPaths.SigV4Vectors, name, $"{name}.{ext}")) ? Read(ext) : null;
        var (method, path, query, headers, body) = ParseRequest(Read("req"));

        var s = SigV4Signer.Sign(method, path, query, headers, Encoding.UTF8.GetBytes(body), AccessKey, SecretKey, "us-east-1", "service", SignedAt);

        if (Maybe("creq") is { } creq) Assert.Equal(creq, s.CanonicalRequest);
        if (Maybe("sts") is { } sts) Assert.Equal(sts, s.StringToSign);
        Assert.Equal(Read("authz"), s.Authorization);
    }

    /// <summary>
    /// The suite's .req files: request line, headers (a line starting with whitespace continues the header above as
    /// another value, which the suite's canonical form joins with commas), blank line, body.
    /// </summary>
    static (string Method, string Path, string? Query, List<KeyValuePair<string, string>> Headers, string Body) ParseRequest(string req)
    {
        var split = req.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? req : req[..split];
        var body = split < 0 ? "" : req[(split + 2)..];
        var lines = head.Split('\n');
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ')];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];
        var q = target.IndexOf('?');
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0])) headers.Add(new(headers[^1].Key, line.Trim()));
            else
            {
                var colon = line.IndexOf(':');
                headers.Add(new(line[..colon], line[(colon + 1)..]));
            }
        }
        return (method, q < 0 ? target : target[..q], q < 0 ? null : target[(q + 1)..], headers, body);
    }
}
