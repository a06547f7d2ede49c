using System.Text;
using NotebookRunner.Execution;

namespace NotebookRunner.Worker;

/// <summary>
/// Console.Out / Console.Error while a notebook runs: text becomes <c>stream</c> events of the running cell, sent
/// per line (and at least every 200 ms for partial lines such as progress bars) so the host can show it live.
/// </summary>
internal sealed class CapturingWriter : TextWriter
{
    private readonly EventSink _sink;
    private readonly string _name;
    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();
    private readonly Timer _timer;

    public CapturingWriter(EventSink sink, string name)
    {
        _sink = sink;
        _name = name;
        _timer = new Timer(_ => FlushPending(), null, 200, 200);
        sink.Attach(this);
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        bool newline;
        lock (_gate) { _pending.Append(value); newline = value == '\n'; }
        if (newline) FlushPending();
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        lock (_gate) _pending.Append(value);
        if (value.Contains('\n')) FlushPending();
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Flush() => FlushPending();

    public void FlushPending()
    {
        string text;
        lock (_gate)
        {
            if (_pending.Length == 0) return;
            text = _pending.ToString();
            _pending.Clear();
        }
        _sink.Send(new WorkerEvent.StreamWritten(_sink.CurrentPosition, _name, text));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _timer.Dispose();
        base.Dispose(disposing);
    }
}
