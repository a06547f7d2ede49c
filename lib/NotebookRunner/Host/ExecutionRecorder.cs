using System.Text.Json.Nodes;
using NotebookRunner.Document;
using NotebookRunner.Execution;

namespace NotebookRunner.Host;

/// <summary>
/// Turns what a worker reports into the run's results: each cell's status, its time (the host's clock, the one owner
/// of it), its outputs in order — streams merged and cut at <see cref="MaxStreamCharsPerCell"/>, displays updated in
/// place — and the captured variables. Knows which cell is running; knows nothing of processes or deadlines.
/// </summary>
internal sealed class ExecutionRecorder(Notebook notebook, IReadOnlyList<CellResult> results, int codeCount, Action<RunProgress>? progress)
{
    /// <summary>Text a single cell may write before the rest is dropped with a notice.</summary>
    public const int MaxStreamCharsPerCell = 2_000_000;

    private int _executionCount;
    private int _streamChars;

    public Dictionary<string, JsonNode?> Variables { get; } = [];
    public CellResult? Running { get; private set; }
    public bool Done { get; private set; }

    public void Apply(WorkerEvent e)
    {
        switch (e)
        {
            case WorkerEvent.CellStarted s when At(s.Position) is { } cell:
                Running = cell;
                _streamChars = 0;
                cell.Start = DateTimeOffset.Now;
                cell.ExecutionCount = ++_executionCount;
                Report(RunProgressKind.CellStarted, cell, null);
                break;
            case WorkerEvent.StreamWritten s when (At(s.Position) ?? Running) is { } cell:
                AddStream(cell, s.Name, s.Text);
                break;
            case WorkerEvent.Displayed d when (At(d.Position) ?? Running) is { } cell:
                Add(cell, new CellOutput { Kind = OutputKind.Display, DisplayId = d.DisplayId, Data = d.Data });
                break;
            case WorkerEvent.DisplayUpdated u:
                if (results.SelectMany(r => r.Outputs.Select(o => (r, o))).LastOrDefault(x => x.o.DisplayId == u.DisplayId) is { o: { } shown } hit)
                {
                    shown.Data = u.Data;
                    shown.UpdateCount++;
                    Report(RunProgressKind.OutputUpdated, hit.r, shown);
                }
                break;
            case WorkerEvent.ResultReturned r when (At(r.Position) ?? Running) is { } cell:
                Add(cell, new CellOutput { Kind = OutputKind.Result, Data = r.Data });
                break;
            case WorkerEvent.CellFinished f when At(f.Position) is { } cell:
                Running = null;
                cell.End = DateTimeOffset.Now;
                cell.Diagnostics.AddRange(f.Diagnostics);
                if (f.Error is null)
                {
                    cell.Status = CellStatus.Completed;
                    Report(RunProgressKind.CellFinished, cell, null);
                }
                else Fail(cell, f.Error);
                break;
            case WorkerEvent.VariablesCaptured v:
                foreach (var (k, value) in v.Values) Variables[k] = value;
                break;
            case WorkerEvent.WorkerDone:
                Done = true;
                break;
        }
    }

    /// <summary>Output the worker process wrote outside the protocol (native libraries, the runtime) goes to the running cell.</summary>
    public void AddRawOutput(string stream, string line)
    {
        if (Running is { } cell) AddStream(cell, stream == "stderr" ? "stderr" : "stdout", line + "\n");
    }

    /// <summary>Ends the running cell with <paramref name="error"/> (a timeout, a crash); false when no cell was running.</summary>
    public bool FailRunning(CellError error)
    {
        if (Running is not { } cell) return false;
        Fail(cell, error);
        Running = null;
        return true;
    }

    private CellResult? At(int position) => position >= 0 && position < results.Count ? results[position] : null;

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
