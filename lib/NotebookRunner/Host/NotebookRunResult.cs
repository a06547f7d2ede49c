using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookRunner.Document;
using NotebookRunner.Kernel;

namespace NotebookRunner.Host;

public enum CellStatus { NotRun, Completed, Failed, Skipped }
public enum NotebookStatus { Completed, Failed, Running }
public enum OutputKind { Stream, Display, Result, Error }

/// <summary>One output of a cell, in order; a display's <see cref="Data"/> is its final state after updates.</summary>
public sealed class CellOutput
{
    public required OutputKind Kind { get; init; }
    public string? StreamName { get; init; }
    public string Text { get; set; } = "";
    public Dictionary<string, string> Data { get; set; } = [];
    public string? DisplayId { get; init; }
    public int UpdateCount { get; set; }
    public CellError? Error { get; init; }

    public string? Html => Data.GetValueOrDefault("text/html");
    public string? PlainText => Kind == OutputKind.Stream ? Text : Data.GetValueOrDefault("text/plain");
}

public sealed class CellResult
{
    public required NotebookCell Cell { get; init; }
    public CellStatus Status { get; set; } = CellStatus.NotRun;
    public int? ExecutionCount { get; set; }
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }
    public List<CellOutput> Outputs { get; } = [];
    public CellError? Error { get; set; }

    /// <summary>The compiler's warnings, as the kernel reports them beside (not among) a cell's outputs.</summary>
    public List<string> Diagnostics { get; } = [];
    public TimeSpan Duration => Start is { } s && End is { } e ? e - s : TimeSpan.Zero;

    /// <summary>All text the cell printed to stdout.</summary>
    public string Stdout => string.Concat(Outputs.Where(o => o is { Kind: OutputKind.Stream, StreamName: "stdout" }).Select(o => o.Text));
}

/// <summary>What running a notebook produced: per-cell outputs, status and timing, and captured variables.</summary>
public sealed record NotebookRunResult(
    string NotebookPath,
    string? OutputPath,
    NotebookStatus Status,
    DateTimeOffset Start,
    TimeSpan Duration,
    IReadOnlyList<CellResult> Cells,
    IReadOnlyDictionary<string, JsonNode?> Variables,
    string? FailureMessage)
{
    public bool Succeeded => Status == NotebookStatus.Completed;
    /// <summary>How long the kernel took from its start to reporting ready; null when it never did.</summary>
    public TimeSpan? KernelReadyAfter { get; init; }
    public CellResult? FailedCell => Cells.FirstOrDefault(c => c.Status == CellStatus.Failed);
    public IEnumerable<CellOutput> Outputs => Cells.SelectMany(c => c.Outputs);
    public string Stdout => string.Concat(Cells.Select(c => c.Stdout));

    /// <summary>A captured variable's final value, converted to <typeparamref name="T"/>.</summary>
    public T Variable<T>(string name)
    {
        if (!Variables.TryGetValue(name, out var node))
            throw new KeyNotFoundException($"variable '{name}' was not captured (not requested, or not defined by the notebook); captured: {string.Join(", ", Variables.Keys)}");
        return node is null ? default! : node.Deserialize<T>(CellEvent.Json)!;
    }
}
