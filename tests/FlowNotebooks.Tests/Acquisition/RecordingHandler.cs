using System.Net;
using System.Net.Sockets;
using System.Web;

namespace FlowNotebooks.Tests.Acquisition;

/// <summary>
/// Sits between the AWS SDK (or our CloudWatch client) and the network: records every request and can answer
/// chosen ones with an error, or cut a response body short as a reset connection does.
/// </summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    readonly Lock gate = new();
    readonly List<Func<HttpRequestMessage, HttpResponseMessage?>> faults = [];
    readonly List<Func<HttpRequestMessage, bool>> resets = [];

    public RecordingHandler(HttpMessageHandler inner) : base(inner) { }

    public List<(string Method, string Path, string Query)> Requests { get; } = [];

    /// <summary>ListObjectsV2 calls as "prefix" or "prefix (folders)" when a delimiter was given.</summary>
    public List<string> ListCalls
    {
        get
        {
            lock (gate)
                return Requests.Where(r => r.Method == "GET" && HttpUtility.ParseQueryString(r.Query)["list-type"] == "2")
                    .Select(r => HttpUtility.ParseQueryString(r.Query) is var q && q["delimiter"] is { Length: > 0 } ? q["prefix"] + " (folders)" : q["prefix"] ?? "")
                    .ToList();
        }
    }

    public int ObjectGets
    {
        get { lock (gate) return Requests.Count(r => r.Method == "GET" && !r.Query.Contains("list-type", StringComparison.Ordinal)); }
    }

    /// <summary>Answers the next <paramref name="times"/> matching requests with the response made by <paramref name="answer"/>.</summary>
    public void Fail(Func<HttpRequestMessage, bool> match, int times, Func<HttpResponseMessage> answer)
    {
        var left = times;
        lock (gate)
            faults.Add(r =>
            {
                if (left <= 0 || !match(r)) return null;
                left--;
                return answer();
            });
    }

    /// <summary>Cuts the body of the next <paramref name="times"/> matching responses after half their bytes.</summary>
    public void Reset(Func<HttpRequestMessage, bool> match, int times)
    {
        var left = times;
        lock (gate)
            resets.Add(r =>
            {
                if (left <= 0 || !match(r)) return false;
                left--;
                return true;
            });
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Tests must never leave the machine: anything but loopback is a bug in the test setup.
        if (!IPAddress.TryParse(request.RequestUri!.Host, out var ip) || !IPAddress.IsLoopback(ip))
            throw new InvalidOperationException($"A test request went to a non-loopback host: {request.RequestUri.Host}");
        HttpResponseMessage? canned = null;
        var reset = false;
        lock (gate)
        {
            Requests.Add((request.Method.Method, Uri.UnescapeDataString(request.RequestUri!.AbsolutePath), request.RequestUri.Query.TrimStart('?')));
            foreach (var f in faults)
                if ((canned = f(request)) is not null) break;
            if (canned is null)
                foreach (var r in resets)
                    if (reset = r(request)) break;
        }
        if (canned is not null)
        {
            canned.RequestMessage = request;
            return canned;
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (reset && response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var cut = new StreamContent(new ResettingStream(body, body.Length / 2));
            foreach (var h in response.Content.Headers) cut.Headers.TryAddWithoutValidation(h.Key, h.Value);
            response.Content = cut;
        }
        return response;
    }

    public static HttpResponseMessage S3Error(HttpStatusCode status, string code, string message) => new(status)
    {
        Content = new StringContent($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>T1</RequestId></Error>",
            System.Text.Encoding.UTF8, "application/xml"),
    };

    /// <summary>Gives <c>cutAt</c> bytes, then fails the way a reset TCP connection surfaces in .NET.</summary>
    sealed class ResettingStream(byte[] body, int cutAt) : Stream
    {
        int position;
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (position >= cutAt) throw new IOException("Unable to read data from the transport connection: Connection reset by peer.", new SocketException((int)SocketError.ConnectionReset));
            var n = Math.Min(count, cutAt - position);
            Array.Copy(body, position, buffer, offset, n);
            position += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => body.Length;
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
