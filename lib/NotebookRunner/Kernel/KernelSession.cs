using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace NotebookRunner.Kernel;

/// <summary>
/// One notebook's kernel: the dotnet-interactive process started as VS Code starts it, spoken to in its JSON-lines
/// protocol on stdin and stdout. Waits for <c>KernelReady</c>, submits each code cell as one <c>SubmitCode</c> to the
/// cell's kernel, turns the kernel's events for that command into <see cref="CellEvent"/>s (<see cref="KernelEvents"/>),
/// then asks for the requested variables with <c>RequestValue</c>. It never decides about time: the host reads
/// <see cref="Events"/>, keeps the deadlines, and ends the process. Disposing always kills the process tree — the kernel
/// does not exit when its stdin closes, it spins a core until killed.
/// </summary>
public sealed class KernelSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly NotebookJob _job;
    private readonly Channel<CellEvent> _events = Channel.CreateUnbounded<CellEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, Action<string, JsonObject>> _listeners = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _tail = new();
    private readonly Lock _stdinLock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HashSet<int> _killed = [];

    private KernelSession(Process process, NotebookJob job, KernelLaunch launch)
    {
        _process = process;
        _job = job;
        Launch = launch;
    }

    public KernelLaunch Launch { get; }
    public ChannelReader<CellEvent> Events => _events.Reader;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    /// <summary>How long the kernel took from its start to <c>KernelReady</c>; null until then.</summary>
    public TimeSpan? ReadyAfter { get; private set; }

    /// <summary>The last lines the process wrote outside the protocol (stderr, stray stdout), for crash reports.</summary>
    public string Tail { get { lock (_tail) return string.Join('\n', _tail); } }

    public static KernelSession Start(NotebookJob job, KernelLaunch launch, IReadOnlyDictionary<string, string> environment)
    {
        var start = launch.StartInfo();
        foreach (var (key, value) in environment) start.Environment[key] = value;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KernelStartException($"could not start the kernel: {launch}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KernelStartException($"could not start the kernel ({launch}): {e.Message}");
        }
        var session = new KernelSession(process, job, launch);
        session.PumpProtocol();
        session.PumpStderr();
        _ = session.RunCellsAsync();
        return session;
    }

    private void PumpProtocol() => _ = Task.Run(async () =>
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.Length == 0) continue;
                JsonObject? envelope = null;
                try { envelope = JsonNode.Parse(line) as JsonObject; }
                catch (JsonException) { }
                if (envelope is null) { AddTail(line); continue; }
                Dispatch(envelope);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // the process is gone; what follows is reported as its exit
        }
        finally
        {
            _ready.TrySetException(new KernelStartException("the kernel's output ended before it reported ready"));
            foreach (var listener in _listeners.Values) listener("Closed", new JsonObject());
        }
    });

    private void PumpStderr() => _ = Task.Run(async () =>
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync() is { } line) AddTail(line);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
    });

    private void AddTail(string line)
    {
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 40) _tail.Dequeue();
        }
    }

    private void Dispatch(JsonObject envelope)
    {
        var eventType = (string?)envelope["eventType"];
        if (eventType is null)
        {
            // A command from the kernel to its front end (VS Code answers these in its webview): say there is none.
            if (envelope["commandType"] is not null) Answer(envelope);
            return;
        }
        if (eventType == "KernelReady")
        {
            ReadyAfter ??= _clock.Elapsed;
            _ready.TrySetResult();
            return;
        }
        var token = (string?)envelope["command"]?["token"];
        if (token is null) return;
        var root = token.Split('.')[0];
        if (_listeners.TryGetValue(root, out var listener)) listener(eventType, envelope);
    }

    private void Answer(JsonObject command)
    {
        var failed = new JsonObject
        {
            ["eventType"] = "CommandFailed",
            ["event"] = new JsonObject { ["message"] = $"{(string?)command["commandType"]} needs VS Code's front end; a headless run has none" },
            ["command"] = command.DeepClone(),
            ["routingSlip"] = new JsonArray(),
        };
        Send(failed);
    }

    private void Send(JsonObject envelope)
    {
        var line = envelope.ToJsonString();
        lock (_stdinLock)
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
        }
    }

    /// <summary>Submits a command and calls <paramref name="onEvent"/> for each of its events until it succeeds or fails.</summary>
    private async Task<(bool Succeeded, string? Message)> ExecuteAsync(string token, string commandType, JsonObject command, Action<string, JsonObject> onEvent)
    {
        var done = new TaskCompletionSource<(bool, string?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _listeners[token] = (eventType, envelope) =>
        {
            var own = (string?)envelope["command"]?["token"] == token;
            switch (eventType)
            {
                case "Closed": done.TrySetException(new IOException("the kernel's output ended")); return;
                case "CommandSucceeded" when own: done.TrySetResult((true, null)); return;
                case "CommandFailed" when own: done.TrySetResult((false, (string?)envelope["event"]?["message"] ?? "")); return;
                default: onEvent(eventType, envelope); return;
            }
        };
        try
        {
            Send(new JsonObject { ["token"] = token, ["commandType"] = commandType, ["command"] = command });
            return await done.Task;
        }
        finally
        {
            _listeners.TryRemove(token, out _);
        }
    }

    private async Task RunCellsAsync()
    {
        try
        {
            await _ready.Task;
            var failed = false;
            foreach (var cell in _job.Cells)
            {
                if (failed && !_job.ContinueOnError) break;
                _events.Writer.TryWrite(new CellEvent.CellStarted(cell.Position));
                var events = new KernelEvents(cell);
                var (succeeded, message) = await ExecuteAsync($"cell-{cell.Position}", "SubmitCode",
                    new JsonObject { ["code"] = cell.Source, ["targetKernelName"] = cell.Kernel },
                    (eventType, envelope) =>
                    {
                        if (events.Translate(eventType, envelope["event"] as JsonObject ?? new JsonObject()) is { } e)
                            _events.Writer.TryWrite(e);
                    });
                var finished = events.Finish(succeeded, message);
                _events.Writer.TryWrite(finished);
                failed |= finished.Error is not null;
            }

            var kernel = _job.Cells.FirstOrDefault()?.Kernel ?? "csharp";
            string? epilogueFailure = null;
            if (_job.Epilogue is { } epilogue && (!failed || _job.ContinueOnError))
            {
                var (ran, message) = await ExecuteAsync("epilogue", "SubmitCode",
                    new JsonObject { ["code"] = epilogue, ["targetKernelName"] = kernel }, (_, _) => { });
                if (!ran) epilogueFailure = message;
            }
            var values = new Dictionary<string, JsonNode?>();
            foreach (var name in _job.CaptureVariables)
            {
                await ExecuteAsync($"value-{name}", "RequestValue",
                    new JsonObject { ["name"] = name, ["mimeType"] = "application/json", ["targetKernelName"] = kernel },
                    (eventType, envelope) =>
                    {
                        if (eventType == "ValueProduced" && (string?)envelope["event"]?["formattedValue"]?["value"] is { } json)
                            values[name] = JsonNode.Parse(json);
                    });
            }
            _events.Writer.TryWrite(new CellEvent.VariablesCaptured(values, epilogueFailure));
            _events.Writer.TryWrite(new CellEvent.SessionDone());
        }
        catch (Exception e) when (e is IOException or KernelStartException or ObjectDisposedException or InvalidOperationException)
        {
            // The kernel went away (killed by the host, or crashed): the host reports it from the process's exit.
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
        // `dotnet tool run` starts the kernel as a process of its own: note the whole tree, to wait for it below.
        lock (_killed) foreach (var pid in ProcessTree.Below(_process.Id)) _killed.Add(pid);
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
    }

    /// <summary>Kills the kernel and returns once every process of its tree has ended (a killed kernel spins no more).</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        int[] tree;
        lock (_killed) tree = [.. _killed];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (tree.Any(ProcessTree.IsRunning) && DateTime.UtcNow < deadline) await Task.Delay(20);
        _process.Dispose();
    }
}

/// <summary>A process and the processes below it, read from /proc (Linux); elsewhere only the process itself is known.</summary>
internal static class ProcessTree
{
    public static IReadOnlyList<int> Below(int root)
    {
        var tree = new List<int> { root };
        if (!Directory.Exists("/proc")) return tree;
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat && int.TryParse(stat[1], out var ppid))
                parents[pid] = ppid;
        for (var i = 0; i < tree.Count; i++)
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        return tree;
    }

    /// <summary>Whether the process still runs: gone, or a zombie (killed, not yet reaped: no CPU, no memory), is ended.</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { } stat && stat[0] is not ("Z" or "X");

    /// <summary>/proc/PID/stat after the command's name: state, parent, …; null when there is no such process.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
