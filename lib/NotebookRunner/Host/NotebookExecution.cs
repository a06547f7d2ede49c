using System.Text.Json.Nodes;
using NotebookRunner.Document;
using NotebookRunner.Execution;
using NotebookRunner.Output;
using NotebookRunner.Parameters;

namespace NotebookRunner.Host;

/// <summary>What the host reports while a notebook runs (for live progress).</summary>
public sealed record RunProgress(string NotebookPath, RunProgressKind Kind, CellResult? Cell, CellOutput? Output, int CodeCellCount);

public enum RunProgressKind { NotebookStarted, CellStarted, Output, OutputUpdated, CellFinished, NotebookFinished }

/// <summary>
/// Runs one notebook headlessly in its own worker process and returns what it produced. The library API that the
/// command line and the tests share.
/// </summary>
public static class NotebookExecution
{
    public const string SkipTag = "skip-execution";
    private const int MaxStreamCharsPerCell = 2_000_000;

    /// <summary>
    /// Runs <paramref name="notebookPath"/>. Throws <see cref="NotebookFormatException"/> for a file that is not a
    /// readable notebook and <see cref="ParameterException"/> for parameters it does not declare; execution failures
    /// (compile errors, exceptions, timeouts, crashes) are in the result, and the executed notebook is written anyway.
    /// </summary>
    public static async Task<NotebookRunResult> RunAsync(string notebookPath, NotebookRunOptions? options = null,
        Action<RunProgress>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new NotebookRunOptions();
        var notebook = NotebookReader.Read(notebookPath);
        var outputPath = options.OutputPath is null ? null : Path.GetFullPath(options.OutputPath);
        if (outputPath is not null && outputPath == notebook.Path && !options.InPlace)
            throw new ArgumentException($"the output path is the source notebook {notebook.Path}; pass --in-place to overwrite it");

        var cells = WithInjectedParameters(notebook, options.Parameters);
        var results = cells.Select(c => new CellResult { Cell = c }).ToList();
        var codeCount = cells.Count(c => c.Kind == CellKind.Code);
        var job = new WorkerJob(
            notebook.Path,
            Path.GetDirectoryName(notebook.Path)!,
            cells.Select((c, i) => (Cell: c, Position: i))
                .Where(x => x.Cell.Kind == CellKind.Code && !x.Cell.HasTag(SkipTag))
                .Select(x => new JobCell(x.Position, x.Cell.Label, x.Cell.Source, x.Cell.Language ?? CellLanguage.CSharp))
                .ToList(),
            options.ContinueOnError,
            options.CaptureVariables);
        foreach (var r in results.Where(r => r.Cell.Kind == CellKind.Code && r.Cell.HasTag(SkipTag))) r.Status = CellStatus.Skipped;
        if (job.Cells.Count > options.MaxCodeCells)
            throw new NotebookFormatException(notebook.Path,
                $"{job.Cells.Count:N0} code cells to run; the runner runs at most {options.MaxCodeCells:N0} per notebook, because each "
                + "cell is a script submission that keeps the earlier ones in memory. Split the notebook, or raise NotebookRunOptions.MaxCodeCells.");

        var start = DateTimeOffset.Now;
        progress?.Invoke(new RunProgress(notebook.Path, RunProgressKind.NotebookStarted, null, null, codeCount));
        var variables = new Dictionary<string, JsonNode?>();
        string? failure = null;
        if (job.Cells.Count > 0)
            failure = await ExecuteAsync(notebook, job, results, variables, options, codeCount, progress, cancellation);

        var duration = DateTimeOffset.Now - start;
        failure ??= results.FirstOrDefault(r => r.Status == CellStatus.Failed) is { } failed ? Describe(notebook, failed) : null;
        var missing = options.CaptureVariables.Where(v => !variables.ContainsKey(v)).ToList();
        if (failure is null && missing.Count > 0)
            failure = $"{notebook.Path}: the notebook did not define the requested variable(s) {string.Join(", ", missing)}";
        var status = failure is null ? NotebookStatus.Completed : NotebookStatus.Failed;
        var result = new NotebookRunResult(notebook.Path, outputPath, status, start, duration, results, variables, failure);

        if (outputPath is not null) ExecutedNotebookWriter.Write(notebook, result, options.Parameters, outputPath);
        progress?.Invoke(new RunProgress(notebook.Path, RunProgressKind.NotebookFinished, null, null, codeCount));
        return result;
    }

    /// <summary>One line that says where and what: notebook, cell, line, column, source line, error.</summary>
    public static string Describe(Notebook notebook, CellResult failed) => Describe(notebook.Path, failed);

    public static string Describe(string notebookPath, CellResult failed)
    {
        var e = failed.Error;
        if (e is null) return $"{notebookPath}: {failed.Cell.Label} failed";
        var where = e.Line is { } line ? $", line {line}{(e.Column is { } col ? $", column {col}" : "")}" : "";
        var source = e.SourceLine is { } s && s.Trim().Length > 0 ? $" — `{s.Trim()}`" : "";
        return $"{notebookPath}: {failed.Cell.Label}{where}: {e.Name}: {e.Message}{source}";
    }

    private static List<NotebookCell> WithInjectedParameters(Notebook notebook, IReadOnlyDictionary<string, JsonNode?> overrides)
    {
        var cells = notebook.Cells.ToList();
        var parametersCell = NotebookParameters.FindParametersCell(notebook);
        if (overrides.Count == 0) return cells;
        if (parametersCell is null)
            throw new ParameterException($"{notebook.Path}: parameters were given ({string.Join(", ", overrides.Keys)}) but no cell is tagged 'parameters'");
        var source = NotebookParameters.BuildInjectedSource(notebook, parametersCell, overrides);
        var injected = new NotebookCell(0, CellKind.Code, source, CellLanguage.CSharp, [NotebookParameters.InjectedTag], new JsonObject());
        cells.Insert(cells.IndexOf(parametersCell) + 1, injected);
        return cells;
    }

    private static async Task<string?> ExecuteAsync(Notebook notebook, WorkerJob job, List<CellResult> results,
        Dictionary<string, JsonNode?> variables, NotebookRunOptions options, int codeCount,
        Action<RunProgress>? progress, CancellationToken cancellation)
    {
        await using var worker = await WorkerProcess.StartAsync(job, options.Environment, cancellation);
        var notebookDeadline = DateTimeOffset.Now + options.NotebookTimeout;
        CellResult? running = null;
        DateTimeOffset? cellDeadline = null;
        var executionCount = 0;
        var streamChars = 0;
        var done = false;

        void Report(RunProgressKind kind, CellResult? cell, CellOutput? output) =>
            progress?.Invoke(new RunProgress(notebook.Path, kind, cell, output, codeCount));

        void AddStream(CellResult cell, string name, string text)
        {
            if (streamChars > MaxStreamCharsPerCell) return;
            streamChars += text.Length;
            if (streamChars > MaxStreamCharsPerCell)
                text = text[..Math.Max(0, text.Length - (streamChars - MaxStreamCharsPerCell))]
                       + $"\n[output truncated: the cell wrote more than {MaxStreamCharsPerCell:N0} characters]\n";
            if (cell.Outputs.LastOrDefault() is { Kind: OutputKind.Stream } last && last.StreamName == name) last.Text += text;
            else cell.Outputs.Add(new CellOutput { Kind = OutputKind.Stream, StreamName = name, Text = text });
            Report(RunProgressKind.Output, cell, cell.Outputs[^1]);
        }

        void Fail(CellResult cell, CellError error)
        {
            cell.Status = CellStatus.Failed;
            cell.End ??= DateTimeOffset.Now;
            cell.Error = error;
            cell.Outputs.Add(new CellOutput { Kind = OutputKind.Error, Error = error });
            Report(RunProgressKind.CellFinished, cell, null);
        }

        while (!done)
        {
            // Raw process output (native libraries, runtime messages) belongs to the running cell.
            while (worker.RawOutput.TryRead(out var raw))
                if (running is not null) AddStream(running, raw.Stream == "stderr" ? "stderr" : "stdout", raw.Line + "\n");

            var deadline = cellDeadline is { } cd && cd < notebookDeadline ? cd : notebookDeadline;
            var wait = deadline - DateTimeOffset.Now;
            WorkerEvent? e = null;
            var timedOut = wait <= TimeSpan.Zero;
            if (!timedOut)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                cts.CancelAfter(wait < TimeSpan.FromMilliseconds(250) ? wait : TimeSpan.FromMilliseconds(250));
                try
                {
                    if (!await worker.Events.WaitToReadAsync(cts.Token)) break; // channel closed: the worker is gone
                    worker.Events.TryRead(out e);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    continue; // poll again: raw output, deadlines
                }
            }
            if (timedOut || cancellation.IsCancellationRequested)
            {
                worker.Kill();
                var perCell = cellDeadline is { } c2 && c2 <= notebookDeadline;
                var limit = perCell ? options.CellTimeout : options.NotebookTimeout;
                var what = cancellation.IsCancellationRequested ? "the run was cancelled"
                    : $"{(perCell ? "the cell" : "the notebook")} did not finish within {limit} ({(perCell ? "per-cell" : "per-notebook")} timeout); the worker was stopped";
                var error = new CellError(CellError.Timeout, cancellation.IsCancellationRequested ? "Cancelled" : "TimeoutError", what, null, null, null, [what]);
                if (running is not null) Fail(running, error);
                return $"{notebook.Path}: {(running?.Cell.Label ?? "notebook")}: {what}";
            }
            if (e is null) continue;

            var cell = e.Position >= 0 && e.Position < results.Count ? results[e.Position] : running;
            switch (e.Type)
            {
                case WorkerEvent.CellStarted when cell is not null:
                    running = cell;
                    streamChars = 0;
                    cell.Start = DateTimeOffset.Now;
                    cell.ExecutionCount = ++executionCount;
                    cellDeadline = DateTimeOffset.Now + options.CellTimeout;
                    Report(RunProgressKind.CellStarted, cell, null);
                    break;
                case WorkerEvent.Stream when cell is not null:
                    AddStream(cell, e.Name ?? "stdout", e.Text ?? "");
                    break;
                case WorkerEvent.Display when cell is not null:
                    cell.Outputs.Add(new CellOutput { Kind = OutputKind.Display, DisplayId = e.DisplayId, Data = e.Data ?? [] });
                    Report(RunProgressKind.Output, cell, cell.Outputs[^1]);
                    break;
                case WorkerEvent.UpdateDisplay:
                    if (results.SelectMany(r => r.Outputs.Select(o => (r, o))).LastOrDefault(x => x.o.DisplayId == e.DisplayId) is { o: { } shown } hit)
                    {
                        shown.Data = e.Data ?? [];
                        shown.UpdateCount++;
                        Report(RunProgressKind.OutputUpdated, hit.r, shown);
                    }
                    break;
                case WorkerEvent.Result when cell is not null:
                    cell.Outputs.Add(new CellOutput { Kind = OutputKind.Result, Data = e.Data ?? [] });
                    Report(RunProgressKind.Output, cell, cell.Outputs[^1]);
                    break;
                case WorkerEvent.CellFinished when cell is not null:
                    cellDeadline = null;
                    running = null;
                    cell.End = DateTimeOffset.Now;
                    cell.Diagnostics.AddRange(e.Diagnostics ?? []);
                    if (e.Ok == true)
                    {
                        cell.Status = CellStatus.Completed;
                        Report(RunProgressKind.CellFinished, cell, null);
                    }
                    else Fail(cell, e.Error ?? new CellError(CellError.Runtime, "Error", "the cell failed", null, null, null, []));
                    break;
                case WorkerEvent.Variables:
                    foreach (var (k, v) in e.Values ?? []) variables[k] = v;
                    break;
                case WorkerEvent.Done:
                    done = true;
                    break;
            }
        }

        if (done)
        {
            if (!await worker.WaitForExitAsync(TimeSpan.FromSeconds(15))) worker.Kill();
            return null;
        }

        // The event stream ended without "done": the worker crashed (native abort, stack overflow, exit()).
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(10));
        while (worker.RawOutput.TryRead(out var rest))
            if (running is not null) AddStream(running, rest.Stream, rest.Line + "\n");
        var code = worker.HasExited ? worker.ExitCode : -1;
        var signal = code > 128 && code < 160 ? $" (signal {code - 128}{SignalName(code - 128)})" : "";
        var message = $"the worker process exited with code {code}{signal} while running {(running?.Cell.Label ?? "the notebook")}";
        var tail = worker.RawTail;
        var crash = new CellError(CellError.Crash, "WorkerCrashed", message, null, null, null,
            tail.Length > 0 ? [message, "last output of the process:", .. tail.Split('\n')] : [message]);
        if (running is not null) Fail(running, crash);
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
