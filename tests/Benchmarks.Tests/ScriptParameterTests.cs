using System.Text.Json.Nodes;
using LstmNotebooks.Benchmarks;
using LstmNotebooks.TestSupport;

namespace Benchmarks.Tests;

/// <summary>
/// Each bench/pytorch/chapterNN.py runs its chapter's computation at the notebook's settings: every parameter both
/// sides name has the same default, and the script accepts every parameter the bench's quick run passes it.
/// </summary>
public class ScriptParameterTests
{
    public static TheoryData<int> Chapters() => ChapterCaseTests.Chapters();

    private static ChapterCase Case(int number) => ChapterCase.All.Single(c => c.Number == number);

    private static IReadOnlyDictionary<string, ParameterValue> Notebook(ChapterCase c) =>
        ChapterParameters.OfNotebook(Path.Combine(RepositoryPaths.Root, "notebooks", c.Notebook));

    private static IReadOnlyDictionary<string, ParameterValue> Script(ChapterCase c) =>
        ChapterParameters.OfScript(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "bench", "pytorch", c.Script)), c.Script);

    [Theory]
    [MemberData(nameof(Chapters))]
    public void A_scripts_defaults_are_the_notebooks_parameters(int number)
    {
        var chapter = Case(number);
        var (notebook, script) = (Notebook(chapter), Script(chapter));

        Assert.True(script.Keys.Any(k => notebook.Keys.Any(n => ChapterParameters.Key(n) == ChapterParameters.Key(k))),
            $"{chapter.Script} names none of {chapter.Notebook}'s parameters ({string.Join(", ", notebook.Keys)})");
        var mismatches = ChapterParameters.Mismatches(notebook, chapter.Notebook, script, chapter.Script);
        Assert.True(mismatches.Count == 0, $"chapter {number}: the script's defaults differ from the notebook's:\n" + string.Join("\n", mismatches));
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void A_script_accepts_every_parameter_the_quick_run_passes_it(int number)
    {
        var chapter = Case(number);
        var quick = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "quick-parameters.json")))![chapter.Notebook]?.AsObject() ?? [];
        var scriptKeys = Script(chapter).Keys.Select(ChapterParameters.Key).ToHashSet();
        var refused = quick.Select(p => p.Key).Where(k => !scriptKeys.Contains(ChapterParameters.Key(k))).ToList();
        Assert.True(refused.Count == 0, $"bench/run --quick passes {chapter.Script} {string.Join(", ", refused)}, which it does not declare");
    }

    // The readers and the comparison themselves.

    [Fact]
    public void Python_defaults_are_read_from_dict_or_a_dict_literal_with_comments_strings_and_underscores()
    {
        var source = """
            from common import Chapter
            ch = Chapter(__doc__, dict(epochs=500_000, learning_rate=1e-3,   # SGD's step
                                       dataPath="../data/x.csv", scaled=True, offset=-2, note='a, b'))
            other = dict(epochs=1)
            """;
        var defaults = ChapterParameters.OfScript(source, "chapter01.py");
        Assert.Equal(["epochs", "learning_rate", "dataPath", "scaled", "offset", "note"], defaults.Keys);
        Assert.Equal(500_000.0, defaults["epochs"].Value);
        Assert.Equal(1e-3, defaults["learning_rate"].Value);
        Assert.Equal("../data/x.csv", defaults["dataPath"].Value);
        Assert.Equal(true, defaults["scaled"].Value);
        Assert.Equal(-2.0, defaults["offset"].Value);
        Assert.Equal("a, b", defaults["note"].Value);

        var literal = ChapterParameters.OfScript("ch = Chapter(__doc__, {\"epochs\": 3, 'seed': 7})", "chapter09.py");
        Assert.Equal(3.0, literal["epochs"].Value);
        Assert.Equal(7.0, literal["seed"].Value);

        var e = Assert.Throws<FormatException>(() => ChapterParameters.OfScript("ch = Chapter(__doc__, dict(epochs=EPOCHS))", "chapter09.py"));
        Assert.Contains("chapter09.py: parameter 'epochs' has the default 'EPOCHS', not a Python literal", e.Message);
        Assert.Throws<FormatException>(() => ChapterParameters.OfScript("ch = Chapter(__doc__, DEFAULTS)", "chapter09.py"));
    }

    [Fact]
    public void A_mismatch_names_the_parameter_both_files_and_both_defaults_and_names_match_across_camel_and_snake_case()
    {
        var notebook = new Dictionary<string, ParameterValue>
        {
            ["learningRate"] = new(0.08, "0.08"),
            ["epochs"] = new(2000.0, "2000"),
            ["scale"] = new((double)0.1f, "0.1f", IsFloat32: true),
            ["dataPath"] = new("../data/airline-passengers.csv", "\"../data/airline-passengers.csv\""),
            ["onlyInTheNotebook"] = new(1.0, "1"),
        };
        var script = new Dictionary<string, ParameterValue>
        {
            ["learning_rate"] = new(0.08, "0.08"),
            ["epochs"] = new(200.0, "200"),
            ["scale"] = new(0.1, "0.1"),
            ["dataPath"] = new("", "\"\""),
            ["only_in_the_script"] = new(2.0, "2"),
        };

        var mismatches = ChapterParameters.Mismatches(notebook, "03-x.ipynb", script, "chapter03.py");

        Assert.Equal(
            ["epochs: 03-x.ipynb's parameters cell has 2000, chapter03.py has epochs=200",
             "dataPath: 03-x.ipynb's parameters cell has \"../data/airline-passengers.csv\", chapter03.py has dataPath=\"\""],
            mismatches);
    }
}
