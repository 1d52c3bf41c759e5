using System.Net;
using System.Text;

namespace FlowNotebooks.TestShared.Aws;

/// <summary>An STS Query-protocol endpoint on 127.0.0.1 answering GetCallerIdentity with AWS's documented XML.</summary>
public sealed class FakeSts : LoopbackHttpServer
{
    public const string Arn = "arn:aws:sts::123456789012:assumed-role/ir-responder/alice";
    public const string Account = "123456789012";
    public const string UserId = "AROA3XFRBF535PLBIFPI4:alice";

    public FakeSts() => Start();

    public int Calls { get; private set; }

    protected override async Task HandleAsync(HttpListenerContext ctx)
    {
        var body = await new StreamReader(ctx.Request.InputStream).ReadToEndAsync();
        var form = System.Web.HttpUtility.ParseQueryString(body);
        Calls++;
        var ok = form["Action"] == "GetCallerIdentity" && ctx.Request.Headers["Authorization"] is not null;
        var xml = ok
            ? $"""
              <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                <GetCallerIdentityResult>
                  <Arn>{Arn}</Arn>
                  <UserId>{UserId}</UserId>
                  <Account>{Account}</Account>
                </GetCallerIdentityResult>
                <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
              </GetCallerIdentityResponse>
              """
            : "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation</Message></Error><RequestId>r</RequestId></ErrorResponse>";
        var bytes = Encoding.UTF8.GetBytes(xml);
        ctx.Response.StatusCode = ok ? 200 : 400;
        ctx.Response.ContentType = "text/xml";
        ctx.Response.ContentLength64 = bytes.Length;
        ctx.Response.OutputStream.Write(bytes);
        ctx.Response.Close();
    }
}
