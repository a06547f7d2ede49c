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
        var recorder = new ExecutionRecorder(notebook, results, codeCount, progress);
        string? failure = null;
        if (job.Cells.Count > 0)
            failure = await WorkerSupervisor.RunAsync(notebook, job, recorder, options, cancellation);
        var variables = recorder.Variables;

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

    private static List<NotebookCell> WithInjectedParameters(Notebook notebook, IReadOnlyDictionary<string, ParameterOverride> overrides)
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
}
