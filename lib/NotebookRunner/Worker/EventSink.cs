using System.Net.Sockets;
using System.Text;
using NotebookRunner.Execution;

namespace NotebookRunner.Worker;

/// <summary>Sends worker events to the host, one line each, in order, from any thread.</summary>
internal sealed class EventSink(Stream stream) : IDisposable
{
    private readonly StreamWriter _writer = new(stream, new UTF8Encoding(false)) { AutoFlush = false, NewLine = "\n" };
    private readonly Lock _gate = new();
    private readonly List<CapturingWriter> _streams = [];

    public static EventSink Connect(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        return new EventSink(new NetworkStream(socket, ownsSocket: true));
    }

    /// <summary>The cell whose outputs are being collected (background writes land in the running cell).</summary>
    public int CurrentPosition { get; set; } = -1;

    public void Attach(CapturingWriter writer) { lock (_gate) _streams.Add(writer); }

    public void Send(WorkerEvent e)
    {
        // Text written before a display must appear before it: flush the captured streams first.
        if (e is not WorkerEvent.StreamWritten) FlushStreams();
        lock (_gate)
        {
            _writer.WriteLine(e.ToLine());
            _writer.Flush();
        }
    }

    public void FlushStreams()
    {
        CapturingWriter[] streams;
        lock (_gate) streams = [.. _streams];
        foreach (var s in streams) s.FlushPending();
    }

    public void Dispose()
    {
        FlushStreams();
        lock (_gate) _writer.Dispose();
    }
}
