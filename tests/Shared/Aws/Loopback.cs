using System.Net;
using System.Net.Sockets;

namespace FlowNotebooks.TestShared.Aws;

/// <summary>Loopback helpers for the test servers (nothing in the tests leaves 127.0.0.1).</summary>
public static class Loopback
{
    /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
