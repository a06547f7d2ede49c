using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookRunner.Parameters;

namespace NotebookRunner.Cli;

/// <summary>A command-line mistake: reported with the usage hint, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The parsed command line.</summary>
public sealed record CommandLine
{
    public List<string> Paths { get; } = [];
    public string? OutputDirectory { get; set; }
    /// <summary>Overrides from --param, for every notebook; they win over params files.</summary>
    public Dictionary<string, ParameterOverride> Parameters { get; } = [];
    /// <summary>Overrides from params files that apply to every notebook.</summary>
    public Dictionary<string, ParameterOverride> FileParameters { get; } = [];
    /// <summary>Per-notebook overrides from a params file's "NN-name.ipynb": { … } sections, by file name.</summary>
    public Dictionary<string, Dictionary<string, ParameterOverride>> ParametersByNotebook { get; } = new(StringComparer.Ordinal);

    /// <summary>The overrides for one notebook, most specific last: params files, the file's section for this notebook, --param.</summary>
    public Dictionary<string, ParameterOverride> ParametersFor(string notebookPath)
    {
        var merged = new Dictionary<string, ParameterOverride>(FileParameters);
        if (ParametersByNotebook.TryGetValue(Path.GetFileName(notebookPath), out var section))
            foreach (var (k, v) in section) merged[k] = v;
        foreach (var (k, v) in Parameters) merged[k] = v;
        return merged;
    }
    public TimeSpan? CellTimeout { get; set; }
    public TimeSpan? NotebookTimeout { get; set; }
    public bool FailFast { get; set; }
    public bool ContinueOnError { get; set; }
    public bool InPlace { get; set; }
    public bool Html { get; set; } = true;
    /// <summary>The title of the HTML index page (--title).</summary>
    public string Title { get; set; } = Output.BookWriter.DefaultIndexTitle;
    public bool Help { get; set; }
    /// <summary>With --export-apps DIR: write each notebook as a file-based app into DIR instead of running it.</summary>
    public string? ExportAppsDirectory { get; set; }
    /// <summary>With --export-saved DIR: write each notebook's cells marked // @save into DIR/CLASS.cs instead of running it.</summary>
    public string? ExportSavedDirectory { get; set; }
    /// <summary>The namespace of the files --export-saved writes.</summary>
    public string? SavedNamespace { get; set; }

    public const string Usage = """
        NotebookRunner — run Polyglot (.NET Interactive) C# notebooks headlessly, with the C# kernel's semantics.

        Usage:
          dotnet run --project lib/NotebookRunner -- [paths...] [options]

        Paths are .ipynb files or folders of them. With no paths, every notebook in the nearest notebooks/ folder
        runs, in name order, into artifacts/notebooks/.

        Options:
          --out DIR              where executed notebooks (and their HTML pages) go   [artifacts/notebooks]
          --param NAME=VALUE     override a variable of the cell tagged 'parameters' (repeatable); the value is
                                 converted to the type of the default (int, long, double, float, decimal, bool, string)
                                 (in a params file a value keeps its JSON type: "10" is a string, refused for an int)
          --params-file FILE     overrides from a JSON object, e.g. {"epochs": 100}; a key naming a notebook holds
                                 overrides for that notebook only: {"01-naive-mlp-baseline.ipynb": {"epochs": 3000}}
          --cell-timeout T       stop a cell that runs longer than T (e.g. 90s, 10m, 1h)          [15m]
          --timeout T            stop a notebook that runs longer than T                          [45m]
          --continue-on-error    run the remaining cells of a notebook after a failed cell
          --fail-fast            stop the whole run after the first failed notebook
          --in-place             write outputs into the source notebooks instead of --out
          --no-html              write executed .ipynb files only, no HTML pages
          --title TEXT           the title of the HTML index page                       [Executed notebooks]
          --export-apps DIR      write each notebook as a .NET 10 file-based app DIR/NAME.cs instead of running
                                 it (dotnet run DIR/NAME.cs); existing apps are replaced
          --export-saved DIR     write the cells of each notebook whose first line is // @save into DIR/CLASS.cs
                                 (one public static class per notebook: 03-name.ipynb → Chapter03) for a library
                                 to compile, instead of running it; needs --namespace NS
          --namespace NS         the namespace of the files --export-saved writes
          -h, --help             this text

        Each notebook runs in a kernel process of its own, the .NET tool dotnet-interactive pinned in
        .config/dotnet-tools.json, started as VS Code starts it; a crash or a timeout stops only that notebook.
        The executed notebook is written after every cell, and kept when a cell fails, with the error in that cell.
        Ctrl-C or SIGTERM stops the running cell and keeps the cells that ran.
        Exit code: 0 all notebooks passed, 1 a notebook failed, 2 usage error, 130 interrupted.
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var cl = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{a} needs a value");
            switch (a)
            {
                case "-h" or "--help": cl.Help = true; break;
                case "--out": cl.OutputDirectory = Value(); break;
                case "--param":
                    try
                    {
                        var (name, value) = NotebookParameters.ParseAssignment(Value());
                        cl.Parameters[name] = value;
                    }
                    catch (ParameterException e) { throw new UsageException(e.Message); }
                    break;
                case "--params-file": ReadParamsFile(Value(), cl); break;
                case "--cell-timeout": cl.CellTimeout = ParseDuration(a, Value()); break;
                case "--timeout": cl.NotebookTimeout = ParseDuration(a, Value()); break;
                case "--fail-fast": cl.FailFast = true; break;
                case "--continue-on-error": cl.ContinueOnError = true; break;
                case "--in-place": cl.InPlace = true; break;
                case "--no-html": cl.Html = false; break;
                case "--title": cl.Title = Value(); break;
                case "--export-apps": cl.ExportAppsDirectory = Value(); break;
                case "--export-saved": cl.ExportSavedDirectory = Value(); break;
                case "--namespace": cl.SavedNamespace = Value(); break;
                default:
                    if (a.StartsWith('-')) throw new UsageException($"unknown option '{a}'");
                    cl.Paths.Add(a);
                    break;
            }
        }
        if (cl.InPlace && cl.OutputDirectory is not null) throw new UsageException("--in-place and --out exclude each other");
        if ((cl.ExportSavedDirectory is null) != (cl.SavedNamespace is null)) throw new UsageException("--export-saved DIR and --namespace NS go together");
        if (cl.SavedNamespace is { } ns && !ns.Split('.').All(Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier))
            throw new UsageException($"--namespace: '{ns}' is not a C# namespace");
        return cl;
    }

    public static TimeSpan ParseDuration(string option, string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var (number, unit) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0) : t.EndsWith('m') ? (t[..^1], 60.0) : t.EndsWith('h') ? (t[..^1], 3600.0) : (t, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0 || !double.IsFinite(n))
            throw new UsageException($"{option}: '{text}' is not a duration (examples: 500ms, 90s, 10m, 1h)");
        return TimeSpan.FromSeconds(n * unit);
    }

    private static void ReadParamsFile(string path, CommandLine into)
    {
        if (!File.Exists(path)) throw new UsageException($"--params-file: {path} not found");
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new UsageException($"--params-file: {path} is not valid JSON: {e.Message}"); }
        if (node is not JsonObject obj) throw new UsageException($"--params-file: {path} must hold a JSON object of name: value");
        foreach (var (name, value) in obj)
        {
            if (name.EndsWith(".ipynb", StringComparison.Ordinal))
            {
                if (value is not JsonObject section) throw new UsageException($"--params-file: \"{name}\" must hold an object of name: value");
                var target = into.ParametersByNotebook.TryGetValue(name, out var existing) ? existing : into.ParametersByNotebook[name] = [];
                foreach (var (k, v) in section) target[k] = ParameterOverride.Json(CheckedValue(path, $"{name}: {k}", v), path);
            }
            else into.FileParameters[name] = ParameterOverride.Json(CheckedValue(path, name, value), path);
        }
    }

    private static JsonNode? CheckedValue(string path, string name, JsonNode? value) =>
        value is JsonObject or JsonArray
            ? throw new UsageException($"--params-file: {path}: '{name}' must be a number, string or boolean")
            : value;
}
