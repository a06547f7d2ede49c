using NotebookRunner.Document;
using NotebookRunner.Execution;

namespace NotebookRunner.Host;

/// <summary>
/// Runs one worker process for a notebook: starts it, passes its events to the recorder as they come, enforces the
/// per-cell and per-notebook deadlines and cancellation (stopping the process), and when the event stream ends without
/// the worker's "done", reports the crash — exit code, signal, the last lines the process wrote. Returns the run's
/// failure message, or null when the worker ran to the end.
/// </summary>
internal static class WorkerSupervisor
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static async Task<string?> RunAsync(Notebook notebook, WorkerJob job, ExecutionRecorder recorder,
        NotebookRunOptions options, CancellationToken cancellation)
    {
        await using var worker = await WorkerProcess.StartAsync(job, options.Environment, cancellation);
        var notebookDeadline = DateTimeOffset.Now + options.NotebookTimeout;

        while (!recorder.Done)
        {
            while (worker.RawOutput.TryRead(out var raw)) recorder.AddRawOutput(raw.Stream, raw.Line);

            var cellDeadline = recorder.Running?.Start + options.CellTimeout;
            var perCell = cellDeadline is { } c && c <= notebookDeadline;
            var deadline = perCell ? cellDeadline!.Value : notebookDeadline;
            var wait = deadline - DateTimeOffset.Now;
            if (wait <= TimeSpan.Zero || cancellation.IsCancellationRequested)
                return Stop(notebook, worker, recorder, options, perCell, cancellation.IsCancellationRequested);

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            cts.CancelAfter(wait < Poll ? wait : Poll);
            try
            {
                if (!await worker.Events.WaitToReadAsync(cts.Token)) break;   // the channel closed: the worker is gone
                while (worker.Events.TryRead(out var e)) recorder.Apply(e);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                // poll again: raw output, deadlines
            }
        }

        if (recorder.Done)
        {
            if (!await worker.WaitForExitAsync(TimeSpan.FromSeconds(15))) worker.Kill();
            return null;
        }
        return await Crashed(notebook, worker, recorder);
    }

    private static string Stop(Notebook notebook, WorkerProcess worker, ExecutionRecorder recorder, NotebookRunOptions options, bool perCell, bool cancelled)
    {
        worker.Kill();
        var limit = perCell ? options.CellTimeout : options.NotebookTimeout;
        var what = cancelled ? "the run was cancelled"
            : $"{(perCell ? "the cell" : "the notebook")} did not finish within {limit} ({(perCell ? "per-cell" : "per-notebook")} timeout); the worker was stopped";
        var label = recorder.Running?.Cell.Label ?? "notebook";
        recorder.FailRunning(new CellError(CellError.Timeout, cancelled ? "Cancelled" : "TimeoutError", what, null, null, null, [what]));
        return $"{notebook.Path}: {label}: {what}";
    }

    /// <summary>The event stream ended without "done": the worker crashed (native abort, stack overflow, exit()).</summary>
    private static async Task<string> Crashed(Notebook notebook, WorkerProcess worker, ExecutionRecorder recorder)
    {
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(10));
        while (worker.RawOutput.TryRead(out var rest)) recorder.AddRawOutput(rest.Stream, rest.Line);
        var code = worker.HasExited ? worker.ExitCode : -1;
        var signal = code > 128 && code < 160 ? $" (signal {code - 128}{SignalName(code - 128)})" : "";
        var running = recorder.Running;
        var message = $"the worker process exited with code {code}{signal} while running {(running?.Cell.Label ?? "the notebook")}";
        var tail = worker.RawTail;
        recorder.FailRunning(new CellError(CellError.Crash, "WorkerCrashed", message, null, null, null,
            tail.Length > 0 ? [message, "last output of the process:", .. tail.Split('\n')] : [message]));
        // With no cell to hold the error (the worker died starting up), the failure message carries the output.
        var detail = running is null ? string.Join("\n  ", tail.Split('\n').Where(l => l.Trim().Length > 0).Take(12))
            : tail.Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
        return $"{notebook.Path}: {message}{(string.IsNullOrEmpty(detail) ? "" : $":\n  {detail}")}";
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => ", SIGABRT", 9 => ", SIGKILL", 11 => ", SIGSEGV", 15 => ", SIGTERM", 4 => ", SIGILL", 7 => ", SIGBUS", 8 => ", SIGFPE",
        _ => "",
    };
}
