using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NotebookRunner.Kernel;

/// <summary>What the host asks a kernel session to run: the notebook's code cells, in order.</summary>
public sealed record NotebookJob(
    string NotebookPath,
    string WorkingDirectory,
    IReadOnlyList<JobCell> Cells,
    bool ContinueOnError,
    IReadOnlyList<string> CaptureVariables,
    string? Epilogue = null);

/// <summary>
/// One code cell to submit. <see cref="Position"/> is its index in the executed notebook's cells; <see cref="Kernel"/>
/// is the kernel VS Code would send it to (the cell's kernel name, else the notebook's default).
/// </summary>
public sealed record JobCell(int Position, string Label, string Source, string Kernel);

/// <summary>How a cell failed: where (1-based line and column inside the cell, when the kernel says), and what.</summary>
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
    public const string Timeout = "timeout";
    public const string Interrupted = "interrupted";
    public const string Crash = "crash";
}

/// <summary>
/// The one small message format in which a kernel session reports to the host: a cell started, wrote a stream,
/// displayed or updated a display, returned a result, finished (or failed); captured variables; the end. The host owns
/// what follows from them — which cell is running, its time, deadlines, crashes, interrupts.
/// </summary>
public abstract record CellEvent
{
    /// <summary>A cell started; <see cref="Position"/> is its index in the executed notebook's cells.</summary>
    public sealed record CellStarted(int Position) : CellEvent;
    /// <summary>Text the cell wrote to stdout or stderr.</summary>
    public sealed record StreamWritten(int Position, string Name, string Text) : CellEvent;
    /// <summary>display(value): a new output with the id the kernel gave it.</summary>
    public sealed record Displayed(int Position, string? DisplayId, Dictionary<string, string> Data) : CellEvent;
    /// <summary>A display's Update(value), with the id the kernel gave the update.</summary>
    public sealed record DisplayUpdated(int Position, string? DisplayId, Dictionary<string, string> Data) : CellEvent;
    /// <summary>The cell's result (its trailing expression).</summary>
    public sealed record ResultReturned(int Position, Dictionary<string, string> Data) : CellEvent;
    /// <summary>A cell finished: without <see cref="Error"/> it succeeded. Warnings are diagnostics, as in the kernel.</summary>
    public sealed record CellFinished(int Position, CellError? Error, List<string> Diagnostics) : CellEvent;
    /// <summary>
    /// The final values of the variables the host asked for, as the kernel's RequestValue gave them; the kernel's
    /// message when the job's epilogue failed.
    /// </summary>
    public sealed record VariablesCaptured(Dictionary<string, JsonNode?> Values, string? EpilogueFailure = null) : CellEvent;
    /// <summary>The session ran everything it was asked to.</summary>
    public sealed record SessionDone : CellEvent;

    /// <summary>How captured values are read back into .NET types.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
