using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using NotebookRunner.Execution;

namespace NotebookRunner.Host;

/// <summary>
/// One worker process for one notebook: this program started with the hidden <c>worker</c> verb, connected back
/// over a Unix domain socket. Worker events arrive on <see cref="Events"/>; whatever the process itself writes to
/// stdout/stderr (native libraries, the runtime's crash messages) arrives on <see cref="RawOutput"/>.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Socket _listener;
    private readonly string _socketPath;
    private readonly string _jobPath;
    private readonly Channel<WorkerEvent> _events = Channel.CreateUnbounded<WorkerEvent>(new() { SingleReader = true });
    private readonly Channel<(string Stream, string Line)> _raw = Channel.CreateUnbounded<(string, string)>();
    private readonly Queue<string> _rawTail = new();

    private WorkerProcess(Process process, Socket listener, string socketPath, string jobPath)
    {
        _process = process;
        _listener = listener;
        _socketPath = socketPath;
        _jobPath = jobPath;
    }

    public ChannelReader<WorkerEvent> Events => _events.Reader;
    public ChannelReader<(string Stream, string Line)> RawOutput => _raw.Reader;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the process wrote outside the protocol (for crash reports).</summary>
    public string RawTail { get { lock (_rawTail) return string.Join('\n', _rawTail); } }

    public static async Task<WorkerProcess> StartAsync(WorkerJob job, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var socketPath = Path.Combine(Path.GetTempPath(), $"nbrun-{id}.sock");
        var jobPath = Path.Combine(Path.GetTempPath(), $"nbrun-{id}.job.json");
        await File.WriteAllTextAsync(jobPath, JsonSerializer.Serialize(job, WorkerEvent.Json), cancellation);

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);

        var start = WorkerCommand.StartInfo(["worker", "--socket", socketPath, "--job", jobPath]);
        start.WorkingDirectory = job.WorkingDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the worker process");
        process.StandardInput.Close();
        var worker = new WorkerProcess(process, listener, socketPath, jobPath);
        worker.PumpRaw(process.StandardOutput, "stdout");
        worker.PumpRaw(process.StandardError, "stderr");
        _ = worker.AcceptAndReadAsync();
        return worker;
    }

    private void PumpRaw(StreamReader reader, string stream) => _ = Task.Run(async () =>
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_rawTail)
            {
                _rawTail.Enqueue(line);
                while (_rawTail.Count > 40) _rawTail.Dequeue();
            }
            _raw.Writer.TryWrite((stream, line));
        }
    });

    private async Task AcceptAndReadAsync()
    {
        try
        {
            var acceptTask = _listener.AcceptAsync();
            var exited = _process.WaitForExitAsync();
            if (await Task.WhenAny(acceptTask, exited) != acceptTask)
            {
                // The worker exited before we saw its connection. A fast-failing notebook connects, writes all its
                // events and exits at once, and the exit can be noticed first: its connection is still queued on the
                // listener with the events in it, so take it and read them. Only a worker that never connected has none.
                if (await Task.WhenAny(acceptTask, Task.Delay(TimeSpan.FromSeconds(2))) != acceptTask) return;
            }
            using var socket = await acceptTask;
            using var reader = new StreamReader(new NetworkStream(socket, ownsSocket: false), Encoding.UTF8);
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length == 0) continue;
                _events.Writer.TryWrite(WorkerEvent.FromLine(line));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or JsonException or ObjectDisposedException)
        {
            // The worker died mid-message, or wrote something that is not an event: the host reports it as a crash.
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); return true; }
        catch (OperationCanceledException) { return false; }
    }

    public void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
        _listener.Dispose();
        TryDelete(_socketPath);
        TryDelete(_jobPath);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>How to start this program again as a worker, whether the host is the CLI or a test process.</summary>
internal static class WorkerCommand
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var assembly = typeof(WorkerCommand).Assembly.Location;
        var directory = Path.GetDirectoryName(assembly)!;
        var name = Path.GetFileNameWithoutExtension(assembly);
        var runtimeConfig = Path.Combine(directory, name + ".runtimeconfig.json");
        var deps = Path.Combine(directory, name + ".deps.json");
        if (!File.Exists(runtimeConfig))
            throw new FileNotFoundException($"cannot start a notebook worker: {runtimeConfig} is missing (build lib/NotebookRunner)");

        var start = new ProcessStartInfo(DotNet.HostPath()) { UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(runtimeConfig);
        if (File.Exists(deps))
        {
            start.ArgumentList.Add("--depsfile");
            start.ArgumentList.Add(deps);
        }
        start.ArgumentList.Add(assembly);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return start;
    }
}
