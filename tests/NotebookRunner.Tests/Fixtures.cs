using System.Runtime.CompilerServices;
using NotebookRunner.Host;

namespace NotebookRunner.Tests;

/// <summary>The fixture notebooks in tests/NotebookRunner.Tests/Fixtures, run from where they are.</summary>
internal static class Fixtures
{
    public static string Directory { get; } = Path.Combine(ThisDirectory(), "Fixtures");

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

    private static string ThisDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
