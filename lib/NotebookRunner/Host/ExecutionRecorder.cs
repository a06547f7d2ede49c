using System.Text.Json.Nodes;
using NotebookRunner.Document;
using NotebookRunner.Kernel;

namespace NotebookRunner.Host;

/// <summary>
/// Turns what the kernel reports into the run's results as VS Code's Polyglot extension turns it into a cell's outputs
/// (notebookControllers.ts in dotnet/interactive): each cell's status, its time (the host's clock, the one owner of it),
/// its outputs in order — text of the same stream appended to the stream output before it (cut at
/// <see cref="MaxStreamCharsPerCell"/>), an output whose id the cell has shown replaced in place, an update with an id
/// not seen before added as an output of its own — and the captured variables. Calls <paramref name="cellFinished"/>
/// after every cell, so the executed notebook can be written as the run goes. Knows which cell is running; knows
/// nothing of processes or deadlines.
/// </summary>
internal sealed class ExecutionRecorder(Notebook notebook, IReadOnlyList<CellResult> results, int codeCount, Action<RunProgress>? progress,
    Action? cellFinished = null)
{
    /// <summary>Text a single cell may write before the rest is dropped with a notice.</summary>
    public const int MaxStreamCharsPerCell = 2_000_000;

    private int _executionCount;
    private int _streamChars;
    private readonly HashSet<string> _trackedIds = [];

    public Dictionary<string, JsonNode?> Variables { get; } = [];
    public CellResult? Running { get; private set; }
    public bool Done { get; private set; }
    /// <summary>How long the kernel took to report ready; null when it never did.</summary>
    public TimeSpan? KernelReadyAfter { get; set; }
    /// <summary>The kernel's message when the run's epilogue failed.</summary>
    public string? EpilogueFailure { get; private set; }

    public void Apply(CellEvent e)
    {
        switch (e)
        {
            case CellEvent.CellStarted s when At(s.Position) is { } cell:
                Running = cell;
                _streamChars = 0;
                cell.Start = DateTimeOffset.Now;
                cell.ExecutionCount = ++_executionCount;
                Report(RunProgressKind.CellStarted, cell, null);
                break;
            case CellEvent.StreamWritten s when (At(s.Position) ?? Running) is { } cell:
                AddStream(cell, s.Name, s.Text);
                break;
            case CellEvent.Displayed d when (At(d.Position) ?? Running) is { } cell:
                Show(cell, OutputKind.Display, d.DisplayId, d.Data);
                break;
            case CellEvent.DisplayUpdated u when (At(u.Position) ?? Running) is { } cell:
                Show(cell, OutputKind.Display, u.DisplayId, u.Data);
                break;
            case CellEvent.ResultReturned r when (At(r.Position) ?? Running) is { } cell:
                Show(cell, OutputKind.Result, null, r.Data);
                break;
            case CellEvent.CellFinished f when At(f.Position) is { } cell:
                Running = null;
                cell.End = DateTimeOffset.Now;
                cell.Diagnostics.AddRange(f.Diagnostics);
                if (f.Error is null)
                {
                    cell.Status = CellStatus.Completed;
                    Report(RunProgressKind.CellFinished, cell, null);
                }
                else Fail(cell, f.Error);
                cellFinished?.Invoke();
                break;
            case CellEvent.VariablesCaptured v:
                foreach (var (k, value) in v.Values) Variables[k] = value;
                EpilogueFailure = v.EpilogueFailure;
                break;
            case CellEvent.SessionDone:
                Done = true;
                break;
        }
    }

    /// <summary>Ends the running cell with <paramref name="error"/> (a timeout, an interrupt, a crash); false when no cell was running.</summary>
    public bool FailRunning(CellError error)
    {
        if (Running is not { } cell) return false;
        Fail(cell, error);
        Running = null;
        cellFinished?.Invoke();
        return true;
    }

    private CellResult? At(int position) => position >= 0 && position < results.Count ? results[position] : null;

    /// <summary>
    /// A display, an update or a result: replaces the cell's output with the same id, else is added and its id tracked
    /// (an id shown by another cell is not this cell's to replace, and VS Code drops the update).
    /// </summary>
    private void Show(CellResult cell, OutputKind kind, string? id, Dictionary<string, string> data)
    {
        if (id is not null && cell.Outputs.LastOrDefault(o => o.DisplayId == id) is { } shown)
        {
            shown.Data = data;
            shown.UpdateCount++;
            Report(RunProgressKind.OutputUpdated, cell, shown);
            return;
        }
        if (id is not null && !_trackedIds.Add(id)) return;
        Add(cell, new CellOutput { Kind = kind, DisplayId = id, Data = data });
    }

    private void Add(CellResult cell, CellOutput output)
    {
        cell.Outputs.Add(output);
        Report(RunProgressKind.Output, cell, output);
    }

    private void AddStream(CellResult cell, string name, string text)
    {
        if (_streamChars > MaxStreamCharsPerCell) return;
        _streamChars += text.Length;
        if (_streamChars > MaxStreamCharsPerCell)
            text = text[..Math.Max(0, text.Length - (_streamChars - MaxStreamCharsPerCell))]
                   + $"\n[output truncated: the cell wrote more than {MaxStreamCharsPerCell:N0} characters]\n";
        if (cell.Outputs.LastOrDefault() is { Kind: OutputKind.Stream } last && last.StreamName == name)
        {
            last.Text += text;
            Report(RunProgressKind.Output, cell, last);
        }
        else Add(cell, new CellOutput { Kind = OutputKind.Stream, StreamName = name, Text = text });
    }

    private void Fail(CellResult cell, CellError error)
    {
        cell.Status = CellStatus.Failed;
        cell.End ??= DateTimeOffset.Now;
        cell.Error = error;
        cell.Outputs.Add(new CellOutput { Kind = OutputKind.Error, Error = error });
        Report(RunProgressKind.CellFinished, cell, null);
    }

    private void Report(RunProgressKind kind, CellResult? cell, CellOutput? output) =>
        progress?.Invoke(new RunProgress(notebook.Path, kind, cell, output, codeCount));
}
