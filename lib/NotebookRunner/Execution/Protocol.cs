using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NotebookRunner.Execution;

/// <summary>What the host asks a worker to run: the notebook's code cells, in order.</summary>
public sealed record WorkerJob(
    string NotebookPath,
    string WorkingDirectory,
    IReadOnlyList<JobCell> Cells,
    bool ContinueOnError,
    IReadOnlyList<string> CaptureVariables);

/// <summary>One code cell for the worker. <see cref="Position"/> is its index in the executed notebook's cells.</summary>
public sealed record JobCell(int Position, string Label, string Source, string Language);

/// <summary>How a cell failed: where (1-based line and column inside the cell), and what.</summary>
public sealed record CellError(
    string Kind,
    string Name,
    string Message,
    int? Line,
    int? Column,
    string? SourceLine,
    IReadOnlyList<string> Traceback)
{
    public const string Compile = "compile";
    public const string Runtime = "runtime";
    public const string Directive = "directive";
    public const string Language = "language";
    public const string Timeout = "timeout";
    public const string Crash = "crash";
}

/// <summary>
/// The one message format between worker and host, one JSON object per line: a cell started, produced output,
/// finished or failed; captured variables; the end. Timeouts, crashes and progress are all judged from it.
/// </summary>
public sealed class WorkerEvent
{
    public const string CellStarted = "cell_started", Stream = "stream", Display = "display",
        UpdateDisplay = "update_display", Result = "result", CellFinished = "cell_finished", Variables = "variables", Done = "done";

    public required string Type { get; init; }
    public int Position { get; init; } = -1;
    public string? Name { get; init; }
    public string? Text { get; init; }
    public string? DisplayId { get; init; }
    public Dictionary<string, string>? Data { get; init; }
    public bool? Ok { get; init; }
    public double? DurationMs { get; init; }
    public CellError? Error { get; init; }
    public Dictionary<string, JsonNode?>? Values { get; init; }
    public List<string>? Diagnostics { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    public string ToLine() => JsonSerializer.Serialize(this, Json);
    public static WorkerEvent FromLine(string line) =>
        JsonSerializer.Deserialize<WorkerEvent>(line, Json) ?? throw new JsonException("empty worker event");
}
