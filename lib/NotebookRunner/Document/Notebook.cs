using System.Text.Json.Nodes;

namespace NotebookRunner.Document;

public enum CellKind { Code, Markdown, Raw }

/// <summary>One cell of a notebook, as read from the file. <see cref="Number"/> is 1-based over all cells.</summary>
public sealed record NotebookCell(
    int Number,
    CellKind Kind,
    string Source,
    string? Language,
    IReadOnlyList<string> Tags,
    JsonObject Json)
{
    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.Ordinal);

    /// <summary>"cell 5", or "injected-parameters cell" for the cell the runner adds.</summary>
    public string Label => Number > 0 ? $"cell {Number}" : "injected-parameters cell";
}

/// <summary>A parsed .ipynb (nbformat 4). <see cref="Json"/> keeps every field of the file, known or not.</summary>
public sealed record Notebook(string Path, JsonObject Json, IReadOnlyList<NotebookCell> Cells, string DefaultLanguage)
{
    public int NbFormatMinor => (int?)Json["nbformat_minor"] ?? 0;
    public IEnumerable<NotebookCell> CodeCells => Cells.Where(c => c.Kind == CellKind.Code);
}

/// <summary>A notebook file that cannot be read; the message names the file and, where known, the cell.</summary>
public sealed class NotebookFormatException(string path, string message, Exception? inner = null)
    : Exception($"{path}: {message}", inner)
{
    public string NotebookPath { get; } = path;
}
