using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookRunner.Document;
using NotebookRunner.Host;
using NotebookRunner.Kernel;
using NotebookRunner.Parameters;

namespace NotebookRunner.Output;

/// <summary>
/// Writes the executed notebook (nbformat 4): the source notebook with each code cell's outputs, execution count
/// and timing, the injected-parameters cell, and run metadata. Written even when a cell failed, with the error in
/// that cell, as papermill does. The source file itself is never touched unless it is the output path (--in-place).
/// </summary>
public static class ExecutedNotebookWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Notebook notebook, NotebookRunResult result, IReadOnlyDictionary<string, ParameterOverride> parameters, string outputPath)
    {
        var json = (JsonObject)notebook.Json.DeepClone();
        var cells = new JsonArray();
        foreach (var cell in result.Cells) cells.Add(CellJson(notebook, cell));
        json["cells"] = cells;

        var metadata = json["metadata"] as JsonObject ?? new JsonObject();
        json["metadata"] = metadata;
        metadata["notebook_runner"] = new JsonObject
        {
            ["input_path"] = notebook.Path,
            ["output_path"] = outputPath,
            ["parameters"] = new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, p.Value.Value?.DeepClone()))),
            ["start_time"] = result.Start.ToString("o"),
            ["end_time"] = (result.Start + result.Duration).ToString("o"),
            ["duration_seconds"] = Math.Round(result.Duration.TotalSeconds, 3),
            ["status"] = result.Status switch { NotebookStatus.Completed => "completed", NotebookStatus.Running => "running", _ => "failed" },
            ["failure"] = result.FailureMessage,
        };

        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        var temp = outputPath + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, json.ToJsonString(Indented) + "\n", new UTF8Encoding(false));
        File.Move(temp, outputPath, overwrite: true);
    }

    private static JsonObject CellJson(Notebook notebook, CellResult result)
    {
        var cell = result.Cell.Number > 0
            ? (JsonObject)result.Cell.Json.DeepClone()
            : new JsonObject
            {
                ["cell_type"] = "code",
                ["metadata"] = new JsonObject
                {
                    ["tags"] = new JsonArray(NotebookParameters.InjectedTag),
                    ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
                    ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
                },
                ["source"] = Lines(result.Cell.Source),
            };
        if (result.Cell.Number == 0 && notebook.NbFormatMinor >= 5) cell["id"] = "injected-parameters";
        if (result.Cell.Kind != CellKind.Code) return cell;

        cell["execution_count"] = result.ExecutionCount;
        cell["outputs"] = new JsonArray(result.Outputs.Select(o => OutputJson(o, result.ExecutionCount)).ToArray<JsonNode?>());
        var metadata = cell["metadata"] as JsonObject ?? new JsonObject();
        cell["metadata"] = metadata;
        if (result.Start is { } start)
        {
            metadata["execution"] = new JsonObject
            {
                ["iopub.execute_input"] = start.ToString("o"),
                ["iopub.status.idle"] = (result.End ?? start).ToString("o"),
            };
        }
        metadata["notebook_runner"] = new JsonObject
        {
            ["status"] = result.Status switch
            {
                CellStatus.Completed => "completed", CellStatus.Skipped => "skipped", _ when result.Error?.Kind == CellError.Interrupted => "interrupted",
                CellStatus.Failed => "failed", _ => "not-run",
            },
            ["duration_seconds"] = Math.Round(result.Duration.TotalSeconds, 3),
        };
        if (result.Diagnostics.Count > 0)
            ((JsonObject)metadata["notebook_runner"]!)["diagnostics"] = new JsonArray(result.Diagnostics.Select(d => (JsonNode?)d).ToArray());
        return cell;
    }

    private static JsonObject OutputJson(CellOutput output, int? executionCount) => output.Kind switch
    {
        OutputKind.Stream => new JsonObject
        {
            ["output_type"] = "stream", ["name"] = output.StreamName ?? "stdout", ["text"] = Lines(output.Text),
        },
        OutputKind.Display => new JsonObject
        {
            ["output_type"] = "display_data", ["data"] = DataJson(output.Data), ["metadata"] = new JsonObject(),
        },
        OutputKind.Result => new JsonObject
        {
            ["output_type"] = "execute_result", ["execution_count"] = executionCount,
            ["data"] = DataJson(output.Data), ["metadata"] = new JsonObject(),
        },
        _ => new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = output.Error?.Name ?? "Error",
            ["evalue"] = output.Error?.Message ?? "",
            ["traceback"] = new JsonArray(ErrorTraceback(output).Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
        },
    };

    private static IEnumerable<string> ErrorTraceback(CellOutput output)
    {
        var e = output.Error;
        if (e is null) yield break;
        if (e.Line is { } line)
            yield return $"at line {line}{(e.Column is { } c ? $", column {c}" : "")}{(e.SourceLine is { } s ? $": {s.Trim()}" : "")}";
        foreach (var t in e.Traceback) yield return t;
    }

    private static JsonObject DataJson(Dictionary<string, string> data) =>
        new(data.Select(kv => KeyValuePair.Create<string, JsonNode?>(kv.Key, Lines(kv.Value))));

    /// <summary>nbformat's multiline string, written as Jupyter does: an array of lines with their line ends.</summary>
    public static JsonArray Lines(string text)
    {
        var array = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            array.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length) array.Add(text[start..]);
        return array;
    }
}
