using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookRunner.Document;

/// <summary>Reads nbformat 4.x notebooks as VS Code's Polyglot extension and Jupyter write them.</summary>
public static class NotebookReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Notebook Read(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new NotebookFormatException(fullPath, "file not found");
        return Parse(fullPath, File.ReadAllBytes(fullPath));
    }

    public static Notebook Parse(string path, byte[] bytes)
    {
        if (bytes.Length == 0) throw new NotebookFormatException(path, "the file is empty, not a notebook");
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new NotebookFormatException(path, $"not UTF-8 text (invalid byte at offset {e.Index}); notebooks are UTF-8 JSON", e);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            throw new NotebookFormatException(path, $"not valid JSON{where}: {FirstSentence(e.Message)}", e);
        }

        if (root is not JsonObject json) throw new NotebookFormatException(path, "the top level must be a JSON object");

        var nbformat = json["nbformat"];
        if (nbformat is null) throw new NotebookFormatException(path, "'nbformat' is missing; this does not look like a notebook");
        if (!TryInt(nbformat, out var major))
            throw new NotebookFormatException(path, $"'nbformat' must be a number, not {nbformat.ToJsonString()}");
        if (major != 4)
            throw new NotebookFormatException(path,
                $"nbformat {major} is not supported: the runner reads nbformat 4 (VS Code and Jupyter write it). "
                + "Open the notebook in VS Code or Jupyter and save it again to upgrade it.");

        if (json["cells"] is not JsonArray cellArray)
            throw new NotebookFormatException(path, json["cells"] is null ? "'cells' is missing" : "'cells' must be an array");
        if (json["metadata"] is { } metadata && metadata is not JsonObject)
            throw new NotebookFormatException(path, "'metadata' must be an object");

        var defaultLanguage = CellLanguage.NotebookDefault(json);
        var cells = new List<NotebookCell>(cellArray.Count);
        for (var i = 0; i < cellArray.Count; i++) cells.Add(ReadCell(path, i + 1, cellArray[i], defaultLanguage));
        return new Notebook(path, json, cells, defaultLanguage);
    }

    private static NotebookCell ReadCell(string path, int number, JsonNode? node, string defaultLanguage)
    {
        if (node is not JsonObject cell) throw new NotebookFormatException(path, $"cell {number} is not a JSON object");
        var type = cell["cell_type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        var kind = type switch
        {
            "code" => CellKind.Code,
            "markdown" => CellKind.Markdown,
            "raw" => CellKind.Raw,
            null => throw new NotebookFormatException(path, $"cell {number} has no 'cell_type'"),
            _ => throw new NotebookFormatException(path, $"cell {number} has an unknown cell_type '{type}'"),
        };
        var source = ReadMultiline(cell["source"]) ?? throw new NotebookFormatException(path,
            $"cell {number}: 'source' must be a string or an array of strings");
        if (cell["metadata"] is { } m && m is not JsonObject)
            throw new NotebookFormatException(path, $"cell {number}: 'metadata' must be an object");
        var metadata = cell["metadata"] as JsonObject;
        var tags = metadata?["tags"] is JsonArray tagArray
            ? tagArray.Select(x => x is JsonValue tv && tv.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList()
            : [];
        var language = kind == CellKind.Code ? CellLanguage.ForCell(metadata, source, defaultLanguage) : null;
        return new NotebookCell(number, kind, source, language, tags, cell);
    }

    /// <summary>nbformat's multiline string: a string, or an array of strings to concatenate.</summary>
    public static string? ReadMultiline(JsonNode? node)
    {
        switch (node)
        {
            case null: return "";
            case JsonValue value when value.TryGetValue<string>(out var s): return s;
            case JsonArray array:
                var sb = new StringBuilder();
                foreach (var part in array)
                {
                    if (part is not JsonValue pv || !pv.TryGetValue<string>(out var ps)) return null;
                    sb.Append(ps);
                }
                return sb.ToString();
            default: return null;
        }
    }

    private static bool TryInt(JsonNode node, out int value)
    {
        value = 0;
        return node is JsonValue v && (v.TryGetValue(out value) || (v.TryGetValue<double>(out var d) && d == Math.Floor(d) && (value = (int)d) == d));
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (i > 0 ? message[..i] : message).Trim();
    }
}
