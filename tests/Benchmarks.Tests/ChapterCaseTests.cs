using System.Text.RegularExpressions;
using LstmNotebooks.Benchmarks;
using LstmNotebooks.TestSupport;
using NotebookRunner.Document;

namespace Benchmarks.Tests;

/// <summary>
/// What the benchmark looks for in the real chapters (<see cref="ChapterCase.All"/>) is there: a case for every
/// notebook, its script, the cells of each timed section, the script's section of the same name, and the variables it
/// captures. A chapter that changes under the benchmark fails here, not hours into a bench/run.
/// </summary>
public partial class ChapterCaseTests
{
    public static TheoryData<int> Chapters() => new(ChapterCase.All.Select(c => c.Number));

    private static ChapterCase Case(int number) => ChapterCase.All.Single(c => c.Number == number);
    private static string NotebookPath(ChapterCase c) => Path.Combine(RepositoryPaths.Root, "notebooks", c.Notebook);
    private static string ScriptPath(ChapterCase c) => Path.Combine(RepositoryPaths.Root, "bench", "pytorch", c.Script);

    [Fact]
    public void Every_notebook_has_a_case_and_every_case_a_notebook_and_a_script()
    {
        var notebooks = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "notebooks"), "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(notebooks, ChapterCase.All.Select(c => c.Notebook).Order(StringComparer.Ordinal));
        Assert.Equal(Enumerable.Range(1, ChapterCase.All.Count), ChapterCase.All.Select(c => c.Number));
        foreach (var c in ChapterCase.All)
            Assert.True(File.Exists(ScriptPath(c)), $"chapter {c.Number}: bench/pytorch/{c.Script} does not exist");
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Every_marker_of_a_timed_section_is_in_a_code_cell_and_the_script_times_a_section_of_its_name(int number)
    {
        var chapter = Case(number);
        var cells = NotebookReader.Read(NotebookPath(chapter)).CodeCells.Select(c => c.Source).ToList();
        var scriptSections = ScriptSection().Matches(File.ReadAllText(ScriptPath(chapter))).Select(m => m.Groups[1].Value).ToHashSet();

        var missing = chapter.Sections.SelectMany(s => s.CellMarkers.Where(m => !cells.Any(c => c.Contains(m, StringComparison.Ordinal)))
                .Select(m => $"section '{s.Name}': no code cell of {chapter.Notebook} contains `{m}`"))
            .Concat(chapter.Sections.Where(s => !scriptSections.Contains(s.Name))
                .Select(s => $"section '{s.Name}': {chapter.Script} has no `with ch.section(\"{s.Name}\")` (it times {string.Join(", ", scriptSections.Select(n => $"'{n}'"))})"))
            .ToList();

        Assert.True(missing.Count == 0, "ChapterCase.All (bench/LstmNotebooks.Benchmarks/ChapterBenchmarks.cs) is out of step:\n" + string.Join("\n", missing));
        Assert.All(chapter.Sections, s => Assert.Contains(cells, s.Covers));
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void The_variables_the_bench_captures_are_assigned_by_the_notebook_or_its_epilogue(int number)
    {
        var chapter = Case(number);
        var code = string.Join("\n", NotebookReader.Read(NotebookPath(chapter)).CodeCells.Select(c => c.Source)) + "\n" + chapter.Facts?.Epilogue;
        var missing = (chapter.Facts?.Variables ?? []).Where(v => !Regex.IsMatch(code, $@"\b{Regex.Escape(v)}\s*=(?!=)")).ToList();
        Assert.True(missing.Count == 0, $"{chapter.Notebook}: the bench captures {string.Join(", ", missing)}, which neither the notebook nor the bench's epilogue assigns");
    }

    [Fact]
    public void A_section_covers_the_cells_that_contain_one_of_its_markers()
    {
        var section = new Section("training", "Train(1)", "Train(seed)");
        Assert.True(section.Covers("var first = Train(1);"));
        Assert.True(section.Covers("fits.Add(Train(seed));"));
        Assert.False(section.Covers("var first = train(1);"));
    }

    [GeneratedRegex(@"\bch\.section\(\s*""([^""]+)""\s*\)")]
    private static partial Regex ScriptSection();
}
