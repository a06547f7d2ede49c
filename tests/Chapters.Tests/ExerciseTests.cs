using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookRunner.Document;
using NotebookRunner.Host;
using NotebookRunner.Parameters;

namespace Chapters.Tests;

/// <summary>
/// A chapter's exercises: an answer cell that starts with <c>// Exercise N.M</c>, then a check cell that calls
/// <c>Exercise.Check("N.M", …)</c>; the worked solutions in <c>solutions/NN-title.md</c>, one C# block per exercise that
/// replaces the answer cell. Run as it is committed, every check says "not yet"; run with the solutions, every check
/// holds.
/// </summary>
public partial class ExerciseTests
{
    public static TheoryData<string> ChaptersWithExercises() =>
        [.. Chapter.All.Select(p => Path.GetFileName(p)).Where(f => Exercises(f).Count > 0)];

    /// <summary>The chapter's answer cells: exercise number → cell id.</summary>
    internal static IReadOnlyDictionary<string, string> Exercises(string fileName) =>
        NotebookReader.Read(Chapter.PathOf(fileName)).CodeCells
            .Select(c => (Match: AnswerCell().Match(c.Source), Id: (string?)c.Json["id"]))
            .Where(c => c.Match.Success)
            .ToDictionary(c => c.Match.Groups[1].Value, c => c.Id ?? throw new InvalidOperationException($"{fileName}: an answer cell has no id"));

    /// <summary>The worked solutions: exercise number → the C# that replaces its answer cell.</summary>
    internal static IReadOnlyDictionary<string, string> Solutions(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(Chapter.RepositoryRoot, "solutions", Path.ChangeExtension(fileName, ".md")));
        return SolutionBlock().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[0].Value[(m.Groups[0].Value.IndexOf('\n') + 1)..^4].TrimEnd('\n'));
    }

    public static TheoryData<string> AllChapters() => [.. Chapter.All.Select(p => Path.GetFileName(p))];

    [Theory]
    [MemberData(nameof(AllChapters))]
    public void Every_chapter_has_three_to_five_exercises_numbered_from_its_own_number(string fileName)
    {
        var chapter = int.Parse(fileName[..2]).ToString();
        var numbers = Exercises(fileName).Keys.ToList();
        Assert.InRange(numbers.Count, 3, 5);
        Assert.Equal(Enumerable.Range(1, numbers.Count).Select(i => $"{chapter}.{i}"), numbers);
    }

    [Theory]
    [MemberData(nameof(ChaptersWithExercises))]
    public void Every_exercise_has_a_check_cell_and_a_worked_solution(string fileName)
    {
        var notebook = NotebookReader.Read(Chapter.PathOf(fileName));
        var solutions = Solutions(fileName);
        foreach (var (number, id) in Exercises(fileName))
        {
            var answer = notebook.CodeCells.ToList().FindIndex(c => (string?)c.Json["id"] == id);
            Assert.Contains($"Exercise.Check(\"{number}\"", notebook.CodeCells.ElementAt(answer + 1).Source);
            Assert.True(solutions.ContainsKey(number), $"solutions/{Path.ChangeExtension(fileName, ".md")} has no block for exercise {number}");
        }
        Assert.Equal(Exercises(fileName).Keys.Order(), solutions.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(ChaptersWithExercises))]
    public async Task Every_check_fails_with_the_starter_and_holds_with_the_worked_solution(string fileName)
    {
        var exercises = Exercises(fileName);
        var starter = await RunAsync(fileName, new Dictionary<string, string>());
        var solved = await RunAsync(fileName, Solutions(fileName).ToDictionary(s => exercises[s.Key], s => s.Value));
        foreach (var number in exercises.Keys)
        {
            Assert.Contains(starter, line => line.StartsWith($"✗ Exercise {number}, not yet: ", StringComparison.Ordinal));
            var verdict = Assert.Single(solved, line => line.Contains($" Exercise {number}", StringComparison.Ordinal));
            Assert.StartsWith($"✓ Exercise {number}: your answer holds", verdict);
        }
    }

    /// <summary>The chapter at small scale (tests/quick-parameters.json), with some cells' sources replaced; the
    /// checks' verdicts it displayed.</summary>
    private static async Task<List<string>> RunAsync(string fileName, IReadOnlyDictionary<string, string> cellSources)
    {
        var quick = JsonNode.Parse(File.ReadAllText(Path.Combine(Chapter.RepositoryRoot, "tests", "quick-parameters.json")))![fileName]!.AsObject();
        var result = await NotebookExecution.RunAsync(Chapter.PathOf(fileName), Chapter.Options(fileName, new Dictionary<string, object>()) with
        {
            Parameters = quick.ToDictionary(p => p.Key, p => ParameterOverride.Json(p.Value, "tests/quick-parameters.json")),
            CellSources = cellSources,
        });
        Assert.True(result.Succeeded, result.FailureMessage);
        return result.Outputs.Select(o => o.PlainText ?? "").SelectMany(t => t.Split('\n'))
            .Select(l => l.Trim().Trim('"')).Where(l => l.StartsWith('✓') || l.StartsWith('✗')).ToList();
    }

    [GeneratedRegex(@"^// Exercise (\d+\.\d+)\b")] private static partial Regex AnswerCell();
    [GeneratedRegex(@"```csharp\n// Exercise (\d+\.\d+)\b[\s\S]*?\n```\n")] private static partial Regex SolutionBlock();
}
