using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner.Kernel;

/// <summary>
/// Turns the kernel's events for one cell's <c>SubmitCode</c> into <see cref="CellEvent"/>s, as VS Code's Polyglot
/// extension turns them into outputs (interactiveClient.ts in dotnet/interactive): displays, display updates, return
/// values and stdout/stderr become outputs; diagnostics are kept beside them (errors place a failure at its line and
/// column, warnings are listed); an <c>ErrorProduced</c> fails the cell even when its command succeeds; the command's
/// failure message is the error.
/// </summary>
public sealed partial class KernelEvents(JobCell cell)
{
    private readonly List<JsonObject> _errorDiagnostics = [];
    private readonly List<string> _warnings = [];
    private readonly List<string> _errorsProduced = [];

    public CellEvent? Translate(string eventType, JsonObject e)
    {
        switch (eventType)
        {
            case "StandardOutputValueProduced":
            case "StandardErrorValueProduced":
                var text = string.Concat(Shown(e).Select(kv => kv.Value));
                return text.Length == 0 ? null
                    : new CellEvent.StreamWritten(cell.Position, eventType == "StandardErrorValueProduced" ? "stderr" : "stdout", text);
            case "DisplayedValueProduced":
                return Shown(e) is { Count: > 0 } shown ? new CellEvent.Displayed(cell.Position, (string?)e["valueId"], shown) : null;
            case "DisplayedValueUpdated":
                return Shown(e) is { Count: > 0 } updated ? new CellEvent.DisplayUpdated(cell.Position, (string?)e["valueId"], updated) : null;
            case "ReturnValueProduced":
                return Shown(e) is { Count: > 0 } result ? new CellEvent.ResultReturned(cell.Position, result) : null;
            case "ErrorProduced":
                _errorsProduced.Add((string?)e["message"] ?? "");
                return null;
            case "DiagnosticsProduced":
                foreach (var d in (e["diagnostics"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var severity = (string?)d["severity"];
                    if (severity == "error") _errorDiagnostics.Add(d);
                    else if (severity == "warning")
                        _warnings.Add($"({Line(d)},{Column(d)}): warning {(string?)d["code"]}: {(string?)d["message"]}");
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>The cell's end: succeeded, or failed with the first error diagnostic, else the failure message.</summary>
    public CellEvent.CellFinished Finish(bool succeeded, string? failureMessage)
    {
        CellError? error = null;
        if (!succeeded) error = ErrorFrom(failureMessage ?? "");
        else if (_errorsProduced.Count > 0) error = ErrorFrom(_errorsProduced[0]);
        return new CellEvent.CellFinished(cell.Position, error, [.. _warnings]);
    }

    private CellError ErrorFrom(string message)
    {
        if (_errorDiagnostics.FirstOrDefault() is { } d)
        {
            var (line, column) = (Line(d), Column(d));
            return new CellError(CellError.Compile, (string?)d["code"] is { Length: > 0 } code ? code : "CompilationError",
                (string?)d["message"] ?? message, line, column, SourceLine(line), Lines(message));
        }
        // An exception: "Namespace.SomeException: message" and its stack trace, as the kernel reports it.
        var first = message.Split('\n', 2)[0].TrimEnd('\r');
        var exception = ExceptionLine().Match(first);
        var name = exception.Success ? exception.Groups["type"].Value : "Error";
        var text = exception.Success ? exception.Groups["message"].Value : first;
        // A cell line is known only where the kernel prints one (a compile-style "(line,column)" prefix).
        var position = PositionPrefix().Match(first);
        int? atLine = position.Success ? int.Parse(position.Groups["line"].Value) : null;
        int? atColumn = position.Success ? int.Parse(position.Groups["column"].Value) : null;
        return new CellError(CellError.Runtime, name, text, atLine, atColumn, SourceLine(atLine), Lines(message));
    }

    /// <summary>A diagnostic's 1-based line and column in the cell (the kernel counts from 0).</summary>
    private static int? Line(JsonObject d) => (int?)d["linePositionSpan"]?["start"]?["line"] + 1;
    private static int? Column(JsonObject d) => (int?)d["linePositionSpan"]?["start"]?["character"] + 1;

    private string? SourceLine(int? line)
    {
        if (line is not { } l) return null;
        var lines = cell.Source.Replace("\r\n", "\n").Split('\n');
        return l >= 1 && l <= lines.Length ? lines[l - 1] : null;
    }

    private static List<string> Lines(string message) =>
        message.Replace("\r\n", "\n").Split('\n').Where(l => l.Trim().Length > 0).ToList();

    /// <summary>The formatted values VS Code shows (those not marked suppressDisplay), by MIME type.</summary>
    private static Dictionary<string, string> Shown(JsonObject e)
    {
        var data = new Dictionary<string, string>();
        foreach (var f in e["formattedValues"] as JsonArray ?? [])
        {
            if (f is not JsonObject value || (bool?)value["suppressDisplay"] == true) continue;
            if ((string?)value["mimeType"] is { } mime) data[mime] = (string?)value["value"] ?? "";
        }
        return data;
    }

    [GeneratedRegex(@"^(?<type>[A-Za-z_][\w.`+]*(Exception|Error)): ?(?<message>.*)$")]
    private static partial Regex ExceptionLine();

    [GeneratedRegex(@"^\((?<line>\d+),(?<column>\d+)\):")]
    private static partial Regex PositionPrefix();
}
