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
/// The one message format between worker and host, one JSON object per line, its kind in "type": a cell started,
/// wrote a stream, displayed or updated a display, returned a result, finished (or failed); captured variables; the
/// end. The host owns what follows from them — which cell is running, its time, deadlines, crashes.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CellStarted), "cell_started")]
[JsonDerivedType(typeof(StreamWritten), "stream")]
[JsonDerivedType(typeof(Displayed), "display")]
[JsonDerivedType(typeof(DisplayUpdated), "update_display")]
[JsonDerivedType(typeof(ResultReturned), "result")]
[JsonDerivedType(typeof(CellFinished), "cell_finished")]
[JsonDerivedType(typeof(VariablesCaptured), "variables")]
[JsonDerivedType(typeof(WorkerDone), "done")]
public abstract record WorkerEvent
{
    /// <summary>A cell started; <see cref="Position"/> is its index in the executed notebook's cells.</summary>
    public sealed record CellStarted(int Position) : WorkerEvent;
    /// <summary>Text the cell wrote to stdout or stderr.</summary>
    public sealed record StreamWritten(int Position, string Name, string Text) : WorkerEvent;
    /// <summary>display(value): a new output with an id that later updates refer to.</summary>
    public sealed record Displayed(int Position, string DisplayId, Dictionary<string, string> Data) : WorkerEvent;
    /// <summary>A display's Update(value): replaces that display's data wherever it is.</summary>
    public sealed record DisplayUpdated(string DisplayId, Dictionary<string, string> Data) : WorkerEvent;
    /// <summary>The cell's result (its trailing expression).</summary>
    public sealed record ResultReturned(int Position, Dictionary<string, string> Data) : WorkerEvent;
    /// <summary>A cell finished: without <see cref="Error"/> it succeeded. Warnings are diagnostics, as in the kernel.</summary>
    public sealed record CellFinished(int Position, CellError? Error, List<string> Diagnostics) : WorkerEvent;
    /// <summary>The final values of the variables the host asked for.</summary>
    public sealed record VariablesCaptured(Dictionary<string, JsonNode?> Values) : WorkerEvent;
    /// <summary>The worker ran everything it was asked to and is about to exit.</summary>
    public sealed record WorkerDone : WorkerEvent;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    public string ToLine() => JsonSerializer.Serialize(this, Json);
    public static WorkerEvent FromLine(string line) =>
        JsonSerializer.Deserialize<WorkerEvent>(line, Json) ?? throw new JsonException("empty worker event");
}
