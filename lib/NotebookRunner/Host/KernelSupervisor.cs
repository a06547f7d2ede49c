using NotebookRunner.Document;
using NotebookRunner.Kernel;

namespace NotebookRunner.Host;

/// <summary>
/// Runs one kernel process for a notebook: starts it, passes its events to the recorder as they come, enforces the
/// per-cell and per-notebook deadlines and cancellation (killing the process), and when the event stream ends without
/// the session's "done", reports the crash — exit code, signal, the last lines the process wrote. Always ends the
/// process. Returns the run's failure message, or null when every cell ran.
/// </summary>
internal static class KernelSupervisor
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static async Task<string?> RunAsync(Notebook notebook, NotebookJob job, ExecutionRecorder recorder,
        NotebookRunOptions options, CancellationToken cancellation)
    {
        await using var kernel = KernelSession.Start(job, KernelLaunch.For(job.WorkingDirectory), options.Environment);
        var notebookDeadline = DateTimeOffset.Now + options.NotebookTimeout;
        var readyDeadline = DateTimeOffset.Now + options.KernelStartTimeout;

        while (!recorder.Done)
        {
            if (kernel.ReadyAfter is null && DateTimeOffset.Now >= readyDeadline && readyDeadline < notebookDeadline)
                return NotReady(notebook, kernel, options);
            var cellDeadline = recorder.Running?.Start + options.CellTimeout;
            var perCell = cellDeadline is { } c && c <= notebookDeadline;
            var deadline = perCell ? cellDeadline!.Value : notebookDeadline;
            var wait = deadline - DateTimeOffset.Now;
            if (wait <= TimeSpan.Zero || cancellation.IsCancellationRequested)
                return Stop(notebook, kernel, recorder, options, perCell, cancellation.IsCancellationRequested);

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            cts.CancelAfter(wait < Poll ? wait : Poll);
            try
            {
                if (!await kernel.Events.WaitToReadAsync(cts.Token)) break;   // the channel closed: the kernel is gone
                while (kernel.Events.TryRead(out var e)) recorder.Apply(e);
            }
            catch (OperationCanceledException)
            {
                // poll again: deadlines, cancellation
            }
        }

        recorder.KernelReadyAfter = kernel.ReadyAfter;
        if (recorder.Done) return null;   // the kernel is killed as the session is disposed: it never exits by itself
        return await Crashed(notebook, kernel, recorder);
    }

    private static string Stop(Notebook notebook, KernelSession kernel, ExecutionRecorder recorder, NotebookRunOptions options, bool perCell, bool cancelled)
    {
        kernel.Kill();
        recorder.KernelReadyAfter = kernel.ReadyAfter;
        var limit = perCell ? options.CellTimeout : options.NotebookTimeout;
        var what = cancelled ? "the run was interrupted; the kernel was stopped"
            : $"{(perCell ? "the cell" : "the notebook")} did not finish within {limit} ({(perCell ? "per-cell" : "per-notebook")} timeout); the kernel was stopped";
        var label = recorder.Running?.Cell.Label ?? (kernel.ReadyAfter is null ? "the kernel's start" : "notebook");
        recorder.FailRunning(new CellError(cancelled ? CellError.Interrupted : CellError.Timeout,
            cancelled ? "Interrupted" : "TimeoutError", what, null, null, null, [what]));
        return $"{notebook.Path}: {label}: {what}";
    }

    private static string NotReady(Notebook notebook, KernelSession kernel, NotebookRunOptions options)
    {
        kernel.Kill();
        var tail = string.Join("\n  ", kernel.Tail.Split('\n').Where(l => l.Trim().Length > 0).TakeLast(12));
        return $"{notebook.Path}: the kernel ({kernel.Launch}) did not report ready within {options.KernelStartTimeout}; it was stopped"
               + (tail.Length > 0 ? $":\n  {tail}" : "");
    }

    /// <summary>The event stream ended without "done": the kernel crashed (native abort, stack overflow, exit()) or never started.</summary>
    private static async Task<string> Crashed(Notebook notebook, KernelSession kernel, ExecutionRecorder recorder)
    {
        await kernel.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var code = kernel.HasExited ? kernel.ExitCode : -1;
        var signal = code > 128 && code < 160 ? $" (signal {code - 128}{SignalName(code - 128)})" : "";
        var running = recorder.Running;
        var message = kernel.ReadyAfter is null
            ? $"the kernel ({kernel.Launch}) exited with code {code}{signal} before it reported ready"
            : $"the kernel process exited with code {code}{signal} while running {(running?.Cell.Label ?? "the notebook")}";
        var tail = kernel.Tail;
        recorder.FailRunning(new CellError(CellError.Crash, "KernelCrashed", message, null, null, null,
            tail.Length > 0 ? [message, "last output of the process:", .. tail.Split('\n')] : [message]));
        // With no cell to hold the error (the kernel died starting up), the failure message carries the output.
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
