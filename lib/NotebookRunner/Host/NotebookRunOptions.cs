using NotebookRunner.Parameters;

namespace NotebookRunner.Host;

/// <summary>How to run one notebook. Defaults are sized for the tutorial-scale chapters on a 2-core machine.</summary>
public sealed record NotebookRunOptions
{
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DefaultNotebookTimeout = TimeSpan.FromMinutes(45);
    public static readonly TimeSpan DefaultKernelStartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Overrides for the parameters cell: text (from --param) or JSON values (from a params file), each with its origin.</summary>
    public IReadOnlyDictionary<string, ParameterOverride> Parameters { get; init; } = new Dictionary<string, ParameterOverride>();
    /// <summary>
    /// Code cells to run with another source, by cell id (papermill's parameters, for a whole cell): a test runs a chapter
    /// with a worked answer in place of a cell, say. The executed notebook shows the source that ran; the source notebook
    /// is not changed. An id that names no code cell fails the run before anything runs.
    /// </summary>
    public IReadOnlyDictionary<string, string> CellSources { get; init; } = new Dictionary<string, string>();
    public TimeSpan CellTimeout { get; init; } = DefaultCellTimeout;
    public TimeSpan NotebookTimeout { get; init; } = DefaultNotebookTimeout;
    /// <summary>How long the kernel may take to report ready (it takes seconds; a first start on a new machine, longer).</summary>
    public TimeSpan KernelStartTimeout { get; init; } = DefaultKernelStartTimeout;
    /// <summary>Go on with the next cells after a failed one (default: stop the notebook there).</summary>
    public bool ContinueOnError { get; init; }
    /// <summary>Where to write the executed notebook; null: don't write one.</summary>
    public string? OutputPath { get; init; }
    /// <summary>Allow <see cref="OutputPath"/> to be the source notebook itself.</summary>
    public bool InPlace { get; init; }
    /// <summary>Notebook variables whose final values the result should carry, as the kernel's RequestValue gives them (JSON).</summary>
    public IReadOnlyList<string> CaptureVariables { get; init; } = [];
    /// <summary>
    /// C# the host submits to the notebook's kernel after its last cell, before <see cref="CaptureVariables"/> are
    /// requested: to derive, from the notebook's own state, values the kernel can give as JSON (it cannot serialise a
    /// multi-dimensional array, say). Not a cell: it is not in the executed notebook, and its failure fails the run.
    /// </summary>
    public string? Epilogue { get; init; }
    /// <summary>
    /// The most code cells a notebook may have. The kernel keeps every submission alive, so its memory grows with each
    /// cell. A notebook over the limit is refused before anything runs.
    /// </summary>
    public int MaxCodeCells { get; init; } = 1_000;
    /// <summary>Extra environment variables for the kernel process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
