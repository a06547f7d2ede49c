using NotebookRunner.Host;

namespace NotebookRunner.Tests;

/// <summary>The fixture notebooks in tests/NotebookRunner.Tests/Fixtures, run from where they are.</summary>
internal static class Fixtures
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();
    public static string Directory { get; } = Path.Combine(RepositoryRoot, "tests", "NotebookRunner.Tests", "Fixtures");

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

    /// <summary>The checkout the tests were built from (found from the test binaries, so CI's path mapping doesn't matter).</summary>
    private static string FindRepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "LstmNotebooks.sln"))) return d.FullName;
        throw new InvalidOperationException($"no LstmNotebooks.sln above {AppContext.BaseDirectory}");
    }
}
