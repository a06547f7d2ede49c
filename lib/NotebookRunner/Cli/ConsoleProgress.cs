using System.Diagnostics;
using NotebookRunner.Host;

namespace NotebookRunner.Cli;

/// <summary>
/// Live progress on the console: each cell as it starts and ends, what cells print, and display updates (training
/// progress) at most once a second per output, so long runs are visibly alive in a terminal and in CI logs.
/// </summary>
internal sealed class ConsoleProgress(TextWriter output)
{
    private readonly Dictionary<CellOutput, long> _lastShown = [];
    private readonly Dictionary<CellOutput, int> _printed = [];
    private readonly Lock _gate = new();
    private int _codeCellsDone;

    public void Report(RunProgress p)
    {
        lock (_gate)
        {
            var name = Path.GetFileName(p.NotebookPath);
            switch (p.Kind)
            {
                case RunProgressKind.NotebookStarted:
                    _codeCellsDone = 0;
                    output.WriteLine($"▶ {name} ({p.CodeCellCount} code cells)");
                    break;
                case RunProgressKind.CellStarted:
                    output.WriteLine($"  [{_codeCellsDone + 1,2}/{p.CodeCellCount}] {p.Cell!.Cell.Label} …");
                    break;
                case RunProgressKind.Output when p.Output is { Kind: OutputKind.Stream } s:
                    PrintStream(s, completeLinesOnly: true);
                    break;
                case RunProgressKind.Output or RunProgressKind.OutputUpdated when p.Output is { Kind: OutputKind.Display or OutputKind.Result } d:
                    var now = Stopwatch.GetTimestamp();
                    if (p.Kind == RunProgressKind.OutputUpdated && _lastShown.TryGetValue(d, out var last)
                        && Stopwatch.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1)) break;
                    _lastShown[d] = now;
                    var text = Summary(d);
                    if (text.Length > 0) output.WriteLine($"        {(p.Kind == RunProgressKind.OutputUpdated ? "↻" : "▪")} {text}");
                    break;
                case RunProgressKind.CellFinished:
                    _codeCellsDone++;
                    var c = p.Cell!;
                    foreach (var stream in c.Outputs.Where(o => o.Kind == OutputKind.Stream)) PrintStream(stream, completeLinesOnly: false);
                    output.WriteLine(c.Status == CellStatus.Completed
                        ? $"        ✓ {c.Duration.TotalSeconds:0.0}s"
                        : $"        ✗ {NotebookExecution.Describe(p.NotebookPath, c)}");
                    break;
            }
            output.Flush();
        }
    }

    /// <summary>Prints the part of a stream output not printed yet (carriage-return progress shows its last state).</summary>
    private void PrintStream(CellOutput stream, bool completeLinesOnly)
    {
        var from = _printed.GetValueOrDefault(stream);
        var end = completeLinesOnly ? stream.Text.LastIndexOf('\n') + 1 : stream.Text.Length;
        if (end <= from) return;
        foreach (var line in stream.Text[from..end].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var shown = line.Split('\r', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
            output.WriteLine($"        {(stream.StreamName == "stderr" ? "!" : "│")} {Clip(shown)}");
        }
        _printed[stream] = end;
    }

    private static string Summary(CellOutput o)
    {
        var plain = o.PlainText ?? "";
        if (plain.Length == 0 && o.Html is { } html) return NotebookRunner.Output.HtmlOutput.IsPlotlyChart(html) ? "(chart)" : "(html)";
        var first = plain.Split('\n')[0];
        return Clip(first);
    }

    private static string Clip(string s) => s.Length <= 160 ? s : s[..157] + "…";
}
