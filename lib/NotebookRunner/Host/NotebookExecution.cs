using System.Text.Json.Nodes;
using NotebookRunner.Document;
using NotebookRunner.Kernel;
using NotebookRunner.Output;
using NotebookRunner.Parameters;

namespace NotebookRunner.Host;

/// <summary>What the host reports while a notebook runs (for live progress).</summary>
public sealed record RunProgress(string NotebookPath, RunProgressKind Kind, CellResult? Cell, CellOutput? Output, int CodeCellCount);

public enum RunProgressKind { NotebookStarted, CellStarted, Output, OutputUpdated, CellFinished, NotebookFinished }

/// <summary>
/// Runs one notebook headlessly in a kernel process of its own — the kernel VS Code installs — and returns what it
/// produced. The library API that the command line and the tests share.
/// </summary>
public static class NotebookExecution
{
    public const string SkipTag = "skip-execution";

    /// <summary>
    /// Runs <paramref name="notebookPath"/>. Throws <see cref="NotebookFormatException"/> for a file that is not a
    /// readable notebook and <see cref="ParameterException"/> for parameters it does not declare; execution failures
    /// (compile errors, exceptions, timeouts, interrupts, crashes, a kernel that cannot start) are in the result. The
    /// executed notebook is written after every cell, so a run that is stopped or killed leaves the cells that finished.
    /// </summary>
    public static async Task<NotebookRunResult> RunAsync(string notebookPath, NotebookRunOptions? options = null,
        Action<RunProgress>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new NotebookRunOptions();
        var notebook = NotebookReader.Read(notebookPath);
        var outputPath = options.OutputPath is null ? null : Path.GetFullPath(options.OutputPath);
        if (outputPath is not null && outputPath == notebook.Path && !options.InPlace)
            throw new ArgumentException($"the output path is the source notebook {notebook.Path}; pass --in-place to overwrite it");

        var cells = WithInjectedParameters(notebook, WithReplacedSources(notebook, options.CellSources), options.Parameters);
        var results = cells.Select(c => new CellResult { Cell = c }).ToList();
        var codeCount = cells.Count(c => c.Kind == CellKind.Code);
        var job = new NotebookJob(
            notebook.Path,
            Path.GetDirectoryName(notebook.Path)!,
            cells.Select((c, i) => (Cell: c, Position: i))
                .Where(x => x.Cell.Kind == CellKind.Code && !x.Cell.HasTag(SkipTag))
                .Select(x => new JobCell(x.Position, x.Cell.Label, x.Cell.Source, x.Cell.Language ?? notebook.DefaultLanguage))
                .ToList(),
            options.ContinueOnError,
            options.CaptureVariables,
            options.Epilogue);
        foreach (var r in results.Where(r => r.Cell.Kind == CellKind.Code && r.Cell.HasTag(SkipTag))) r.Status = CellStatus.Skipped;
        if (job.Cells.Count > options.MaxCodeCells)
            throw new NotebookFormatException(notebook.Path,
                $"{job.Cells.Count:N0} code cells to run; the runner runs at most {options.MaxCodeCells:N0} per notebook, because the "
                + "kernel keeps every submission in memory. Split the notebook, or raise NotebookRunOptions.MaxCodeCells.");

        var start = DateTimeOffset.Now;
        progress?.Invoke(new RunProgress(notebook.Path, RunProgressKind.NotebookStarted, null, null, codeCount));
        ExecutionRecorder recorder = null!;
        NotebookRunResult Result(string? failure) => new(notebook.Path, outputPath,
            failure is null ? NotebookStatus.Completed : NotebookStatus.Failed, start, DateTimeOffset.Now - start, results,
            recorder.Variables, failure) { KernelReadyAfter = recorder.KernelReadyAfter };
        // Written as the run goes (papermill saves after every cell): a stopped or killed run keeps what finished.
        void WritePartial()
        {
            if (outputPath is not null) ExecutedNotebookWriter.Write(notebook, Result(null) with { Status = NotebookStatus.Running }, options.Parameters, outputPath);
        }
        recorder = new ExecutionRecorder(notebook, results, codeCount, progress, WritePartial);
        string? failure = null;
        if (job.Cells.Count > 0)
        {
            try { failure = await KernelSupervisor.RunAsync(notebook, job, recorder, options, cancellation); }
            catch (KernelStartException e) { failure = $"{notebook.Path}: {e.Message}"; }
        }

        failure ??= results.FirstOrDefault(r => r.Status == CellStatus.Failed) is { } failed ? Describe(notebook, failed) : null;
        if (failure is null && recorder.EpilogueFailure is { } epilogue)
            failure = $"{notebook.Path}: the code the host ran after the last cell failed: {epilogue.Split('\n')[0]}";
        var missing = options.CaptureVariables.Where(v => !recorder.Variables.ContainsKey(v)).ToList();
        if (failure is null && missing.Count > 0)
            failure = $"{notebook.Path}: the kernel has no value for the requested variable(s) {string.Join(", ", missing)} (not defined, or not serialisable as JSON)";
        var result = Result(failure);

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

    private static List<NotebookCell> WithReplacedSources(Notebook notebook, IReadOnlyDictionary<string, string> sources)
    {
        var cells = notebook.Cells.ToList();
        foreach (var (id, source) in sources)
        {
            var index = cells.FindIndex(c => c.Kind == CellKind.Code && (string?)c.Json["id"] == id);
            if (index < 0)
                throw new NotebookFormatException(notebook.Path, $"no code cell has the id '{id}', whose source was to be replaced");
            if (cells[index].HasTag(NotebookParameters.ParametersTag))
                throw new NotebookFormatException(notebook.Path, $"the cell '{id}' is the parameters cell: give parameters instead of replacing it");
            var json = (JsonObject)cells[index].Json.DeepClone();
            var lines = source.Split('\n');
            json["source"] = new JsonArray(lines.Select((l, i) => (JsonNode?)(i < lines.Length - 1 ? l + "\n" : l)).ToArray());
            cells[index] = cells[index] with { Source = source, Json = json };
        }
        return cells;
    }

    private static List<NotebookCell> WithInjectedParameters(Notebook notebook, List<NotebookCell> cells, IReadOnlyDictionary<string, ParameterOverride> overrides)
    {
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
