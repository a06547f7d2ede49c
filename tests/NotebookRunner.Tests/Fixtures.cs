using NotebookRunner.Host;

namespace NotebookRunner.Tests;

/// <summary>The fixture notebooks in tests/NotebookRunner.Tests/Fixtures, run from where they are.</summary>
internal static class Fixtures
{
    public static string Directory { get; } = Path.Combine(LstmNotebooks.TestSupport.RepositoryPaths.Root, "tests", "NotebookRunner.Tests", "Fixtures");

    public static string Path_(string name) => Path.Combine(Directory, name);

    public static string NewOutputDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nbrun-tests", Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs a fixture into a fresh output folder; the executed notebook is written there.</summary>
    public static Task<NotebookRunResult> RunAsync(string name, NotebookRunOptions? options = null)
    {
        options ??= new NotebookRunOptions();
        options = options with { OutputPath = options.OutputPath ?? Path.Combine(NewOutputDirectory(), name) };
        return NotebookExecution.RunAsync(Path_(name), options);
    }

    /// <summary>Writes a Polyglot-format notebook of the given cells (code, or markdown when it starts with "# ").</summary>
    public static string WriteNotebook(string directory, string name, IEnumerable<string> cells)
    {
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["cells"] = new System.Text.Json.Nodes.JsonArray(cells.Select((source, i) => (System.Text.Json.Nodes.JsonNode?)(source.StartsWith("# ", StringComparison.Ordinal)
                ? new System.Text.Json.Nodes.JsonObject { ["cell_type"] = "markdown", ["id"] = $"m{i}", ["metadata"] = new System.Text.Json.Nodes.JsonObject(), ["source"] = source }
                : new System.Text.Json.Nodes.JsonObject
                {
                    ["cell_type"] = "code", ["id"] = $"c{i}", ["execution_count"] = null, ["outputs"] = new System.Text.Json.Nodes.JsonArray(),
                    ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["polyglot_notebook"] = new System.Text.Json.Nodes.JsonObject { ["kernelName"] = "csharp" } },
                    ["source"] = source,
                })).ToArray()),
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["kernelspec"] = new System.Text.Json.Nodes.JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }
}
