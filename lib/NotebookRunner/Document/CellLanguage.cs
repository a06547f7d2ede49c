using System.Text.Json.Nodes;

namespace NotebookRunner.Document;

/// <summary>
/// A cell's language, the way Polyglot Notebooks decides it: a leading <c>#!fsharp</c>-style line (the kernel
/// sends the code after it to that kernel whatever the cell's metadata says), then the cell's metadata
/// (<c>polyglot_notebook.kernelName</c>, <c>dotnet_interactive.language</c>, <c>vscode.languageId</c>), then the
/// notebook's default kernel.
/// </summary>
public static class CellLanguage
{
    public const string CSharp = "csharp";

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["csharp"] = CSharp, ["c#"] = CSharp, ["cs"] = CSharp, [".net-csharp"] = CSharp,
        ["fsharp"] = "fsharp", ["f#"] = "fsharp", ["fs"] = "fsharp", [".net-fsharp"] = "fsharp",
        ["pwsh"] = "pwsh", ["powershell"] = "pwsh", [".net-pwsh"] = "pwsh",
        ["javascript"] = "javascript", ["js"] = "javascript",
        ["html"] = "html", ["markdown"] = "markdown", ["md"] = "markdown", ["mermaid"] = "mermaid",
        ["sql"] = "sql", ["kql"] = "kql", ["http"] = "http", ["value"] = "value", ["python"] = "python",
    };

    /// <summary>Normalises a kernel or language name ("C#", ".net-csharp", "cs" → "csharp").</summary>
    public static string Normalise(string name) =>
        Aliases.TryGetValue(name.Trim(), out var known) ? known : name.Trim().ToLowerInvariant();

    /// <summary>True for a line such as <c>#!csharp</c> or <c>#!c#</c> that selects a known kernel.</summary>
    public static bool IsKernelSelector(string line, out string language)
    {
        language = "";
        var t = line.Trim();
        if (!t.StartsWith("#!", StringComparison.Ordinal) || t.Contains(' ')) return false;
        var name = t[2..];
        if (!Aliases.TryGetValue(name, out var known)) return false;
        language = known;
        return true;
    }

    public static string NotebookDefault(JsonObject notebookJson)
    {
        var metadata = notebookJson["metadata"] as JsonObject;
        if (metadata?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>() is { } polyglot)
            return Normalise(polyglot);
        if (metadata?["kernelspec"]?["language"]?.GetValue<string>() is { } specLanguage) return Normalise(specLanguage);
        if (metadata?["kernelspec"]?["name"]?.GetValue<string>() is { } specName) return Normalise(specName);
        if (metadata?["language_info"]?["name"]?.GetValue<string>() is { } info && info != "polyglot-notebook")
            return Normalise(info);
        return CSharp;
    }

    public static string ForCell(JsonObject? cellMetadata, string source, string notebookDefault)
    {
        var firstLine = source.TrimStart('\r', '\n').Split('\n', 2)[0];
        if (IsKernelSelector(firstLine, out var selected)) return selected;

        var vscodeLanguage = Str(cellMetadata?["vscode"]?["languageId"]);
        var fromMetadata = Str(cellMetadata?["polyglot_notebook"]?["kernelName"])
            ?? Str(cellMetadata?["dotnet_interactive"]?["language"])
            ?? (vscodeLanguage == "polyglot-notebook" ? null : vscodeLanguage);
        return fromMetadata is not null ? Normalise(fromMetadata) : notebookDefault;
    }

    private static string? Str(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;
}
