using System.Net;

namespace FlowNotebooks.TestShared.Aws;

/// <summary>An HttpListener on 127.0.0.1 at a free port that answers each request with <see cref="HandleAsync"/> on a
/// background loop; the AWS stand-ins (CloudWatch Logs, EC2) build on it. Nothing listens beyond loopback.</summary>
public abstract class LoopbackHttpServer : IDisposable
{
    readonly HttpListener listener = new();
    Task? loop;

    public int Port { get; private set; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    /// <summary>Binds a free port (trying again if another process took it first) and starts serving; call it last in
    /// the derived constructor, so no request meets a half-built server.</summary>
    protected void Start()
    {
        for (var i = 0; ; i++)
        {
            Port = Loopback.FreePort();
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                listener.Start();
                break;
            }
            catch (HttpListenerException) when (i < 5)
            {
            }
        }
        loop = Task.Run(Serve);
    }

    /// <summary>Answers one request (and closes its response).</summary>
    protected abstract Task HandleAsync(HttpListenerContext ctx);

    /// <summary>Answers a request whose handler threw.</summary>
    protected virtual void Failed(HttpListenerContext ctx, Exception ex)
    {
        ctx.Response.StatusCode = 500;
        ctx.Response.Close();
    }

    async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                await HandleAsync(ctx);
            }
            catch (Exception ex)
            {
                Failed(ctx, ex);
            }
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try { loop?.Wait(2000); } catch (AggregateException) { }
        GC.SuppressFinalize(this);
    }
}
