using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace LightMood.Tests.Service;

/// <summary>
/// systemd's side of <c>$NOTIFY_SOCKET</c>: a Unix datagram socket that any user may send to (the service runs as an
/// unprivileged user), recording each message (<c>READY=1</c>, <c>WATCHDOG=1</c>, <c>STOPPING=1</c>…) with its time.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly List<(TimeSpan At, string Message)> _messages = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public NotifySocket(string path)
    {
        Path = path;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
        _thread = new Thread(Receive) { IsBackground = true, Name = "notify socket" };
        _thread.Start();
    }

    public string Path { get; }

    public IReadOnlyList<(TimeSpan At, string Message)> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>How many messages contained <paramref name="assignment"/> (e.g. <c>WATCHDOG=1</c>).</summary>
    public int Count(string assignment) => Messages.Count(m => m.Message.Split('\n').Contains(assignment));

    public void Dispose()
    {
        _socket.Dispose();
        _thread.Join(2000);
        File.Delete(Path);
    }

    private void Receive()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int n;
            try
            {
                n = _socket.Receive(buffer);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_messages)
            {
                _messages.Add((_clock.Elapsed, Encoding.UTF8.GetString(buffer, 0, n)));
            }
        }
    }
}
