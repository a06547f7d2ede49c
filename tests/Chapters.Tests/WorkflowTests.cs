namespace Chapters.Tests;

/// <summary>The GitHub workflow runs what the README promises and publishes the book readers read.</summary>
public class WorkflowTests
{
    private static readonly string Workflow = File.ReadAllText(Path.Combine(Chapter.RepositoryRoot, ".github", "workflows", "notebooks.yml"));

    private static readonly string Readme = File.ReadAllText(Path.Combine(Chapter.RepositoryRoot, "README.md"));

    [Fact]
    public void The_test_job_runs_the_READMEs_test_command()
    {
        const string command = ".devcontainer/run-in-trixie-rootfs.sh dotnet test LstmNotebooks.sln";
        Assert.Contains(command, Readme);
        Assert.Contains($"run: {command}\n", Workflow);
    }

    [Fact]
    public void The_book_job_publishes_the_chapters_run_at_tutorial_scale_to_GitHub_Pages_from_main()
    {
        var book = Workflow[Workflow.IndexOf("\n  book:\n", StringComparison.Ordinal)..];
        Assert.Contains("if: github.ref == 'refs/heads/main' && (github.event_name == 'push' || github.event_name == 'workflow_dispatch')\n", book);
        Assert.Contains(".devcontainer/run-in-trixie-rootfs.sh dotnet run --project lib/NotebookRunner", Readme);
        Assert.Contains("pages: write", book);
        // The README's run command with no parameters file: tutorial scale, the numbers the prose is written against.
        Assert.Contains("run: .devcontainer/run-in-trixie-rootfs.sh dotnet run --project lib/NotebookRunner -- --out artifacts/notebooks\n", book);
        Assert.Contains("uses: actions/upload-pages-artifact@v3\n        with:\n          path: artifacts/notebooks\n", book);
        Assert.Contains("uses: actions/deploy-pages@v4", book);
    }
}
