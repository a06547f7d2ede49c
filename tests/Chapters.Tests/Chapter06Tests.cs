using System.Globalization;
using System.Text.RegularExpressions;
using NotebookRunner.Host;

namespace Chapters.Tests;

public class Chapter06Run() : ChapterRun("06-baselines-and-transforms.ipynb", Chapter06Tests.QuickParameters(null), Chapter06Tests.Captured)
{
    protected override string? Epilogue => Chapter06Tests.Epilogue;
}

public class Chapter06Tests(Chapter06Run run) : IClassFixture<Chapter06Run>
{
    internal static Dictionary<string, object> QuickParameters(string? dataPath)
    {
        var parameters = new Dictionary<string, object> { ["maxEpochs"] = 20, ["patience"] = 10, ["selectionSeeds"] = 1, ["seeds"] = 2, ["chapter3Epochs"] = 20 };
        if (dataPath is not null) parameters["dataPath"] = dataPath;
        return parameters;
    }

    public static readonly string[] Captured =
    [
        "testMonths", "benchmarkRmse", "seedRmse", "lstmMeanRmse", "linearRmse", "lstmAhead", "linearAhead", "chosen",
        "chapter3Lookback1Rmse", "chapter3Lookback4Rmse", "verdict", "testTrials", "testLinearTrials", "testLinear", "testRecursiveBenchmarks", "testFirstBestEpoch",
    ];

    /// <summary>What the tests ask the kernel for after the last cell, in a form it serialises (tuples it does not).</summary>
    internal const string Epilogue = """
        var testTrials = settings.Select(s => new { s.Window, s.HiddenSize, s.LearningRate, Score = ValidationScore(s), Seeds = trials[s].Count }).ToArray();
        var testLinearTrials = linearTrials.Select(t => new { t.Window, t.Penalty, t.ValidationLoss }).ToArray();
        var testLinear = new { chosenLinear.Window, chosenLinear.Penalty };
        var testRecursiveBenchmarks = recursiveBenchmarks.Select(b => new { b.Name, b.Forecast }).ToArray();
        var testFirstBestEpoch = chosenSeed1.BestEpoch;
        """;

    private readonly NotebookRunResult _r = run.Result;

    /// <summary>The five benchmark forecasts one month ahead, computed straight from the CSV, as a reader would check them by hand.</summary>
    internal static double[] OneStepBenchmarksFromCsv()
    {
        var y = AirlineCsv.Passengers();
        var months = Enumerable.Range(97, 47).ToArray();
        double Score(Func<int, double> forecast) => AirlineCsv.Rmse(months.Select(forecast), months.Select(m => y[m]));
        return [Score(m => y[m - 1]), Score(m => y[m - 12]), Score(m => y[m - 1] + (y[m - 1] - y[0]) / (m - 1)),
                Score(m => y[m - 12] + y[m - 1] - y[m - 13]), Score(m => y[m - 12] * y[m - 1] / y[m - 13])];
    }

    /// <summary>The same five forecasts of months 96–143 from the months up to 95 only, each fed its own forecasts, from the CSV.</summary>
    internal static double[][] RecursiveBenchmarksFromCsv()
    {
        var y = AirlineCsv.Passengers();
        const int last = 95;
        var (withChange, withGrowth) = (y[..(last + 1)].ToList(), y[..(last + 1)].ToList());
        for (var m = last + 1; m < y.Length; m++)
        {
            withChange.Add(withChange[m - 12] + withChange[m - 1] - withChange[m - 13]);
            withGrowth.Add(withGrowth[m - 12] * withGrowth[m - 1] / withGrowth[m - 13]);
        }
        var ahead = Enumerable.Range(last + 1, 48).ToArray();
        return
        [
            ahead.Select(_ => y[last]).ToArray(),
            ahead.Select(m => y[last - 11 + (m - last - 1) % 12]).ToArray(),
            ahead.Select(m => y[last] + (m - last) * (y[last] - y[0]) / last).ToArray(),
            withChange[(last + 1)..].ToArray(),
            withGrowth[(last + 1)..].ToArray(),
        ];
    }

    [Fact]
    public void The_test_months_are_the_ones_chapter_3_predicts()
    {
        Assert.Equal(Enumerable.Range(97, 47), _r.Variable<int[]>("testMonths"));
    }

    [Fact]
    public void The_one_step_benchmarks_equal_a_plain_computation_over_the_csv()
    {
        var fromCsv = OneStepBenchmarksFromCsv();
        // Both sides add the same 47 squared errors in double precision in the same order: equal to the last bits.
        Assert.Equal(fromCsv[..4], _r.Variable<double[]>("benchmarkRmse")[..4]);
        // The growth ratio is computed in another order (y[m − 12] · y[m − 1] / y[m − 13] on both sides, but summed after): to rounding.
        Assert.Equal(fromCsv[4], _r.Variable<double[]>("benchmarkRmse")[4], 1e-9);
        Assert.Equal([48.53, 42.05, 48.67, 15.52, 15.78], fromCsv.Select(r => Math.Round(r, 2)));
    }

    [Fact]
    public void The_recursive_benchmarks_equal_a_plain_computation_over_the_csv()
    {
        var benchmarks = _r.Variable<BenchmarkForecast[]>("testRecursiveBenchmarks");
        var fromCsv = RecursiveBenchmarksFromCsv();
        Assert.Equal(["naive (persistence)", "seasonal naive", "drift", "seasonal naive with this year's change", "seasonal naive with this year's growth"],
            benchmarks.Select(b => b.Name));
        for (var i = 0; i < fromCsv.Length; i++)
            Assert.All(fromCsv[i].Zip(benchmarks[i].Forecast), p => Assert.Equal(p.First, p.Second, 1e-9 * p.First));
        // d = 0 every month, the chapter's recursion with no model, is the seasonal naive with this year's growth.
        var y = AirlineCsv.Passengers();
        Assert.Equal((9.56, 16.47), (Math.Round(AirlineCsv.Rmse(fromCsv[4][..12], y[96..108]), 2), Math.Round(AirlineCsv.Rmse(fromCsv[4], y[96..]), 2)));
        Assert.Equal((15.96, 30.31), (Math.Round(AirlineCsv.Rmse(fromCsv[3][..12], y[96..108]), 2), Math.Round(AirlineCsv.Rmse(fromCsv[3], y[96..]), 2)));
    }

    [Fact]
    public void Every_combination_of_the_candidates_is_tried_and_the_lowest_validation_loss_is_chosen()
    {
        var trials = _r.Variable<Trial[]>("testTrials");
        Assert.Equal(8, trials.Length);   // windows 12, 24 × hidden sizes 16, 32 × learning rates 0.001, 0.003
        Assert.Equal(8, trials.Select(t => (t.Window, t.HiddenSize, t.LearningRate)).Distinct().Count());
        Assert.All(trials, t => Assert.Equal(1, t.Seeds));
        var best = trials.MinBy(t => t.Score)!;
        Assert.Equal(new Setting(best.Window, best.HiddenSize, best.LearningRate), _r.Variable<Setting>("chosen"));

        var linearTrials = _r.Variable<LinearTrial[]>("testLinearTrials");
        Assert.Equal(8, linearTrials.Length);   // windows 12, 24 × penalties 0, 1, 10, 100
        var bestLinear = linearTrials.MinBy(t => t.ValidationLoss)!;
        Assert.Equal(new LinearChoice(bestLinear.Window, bestLinear.Penalty), _r.Variable<LinearChoice>("testLinear"));
    }

    [Fact]
    public void Every_seed_is_scored_and_the_mean_is_reported()
    {
        var seeds = _r.Variable<double[]>("seedRmse");
        Assert.Equal(2, seeds.Length);
        Assert.All(seeds, r => Assert.True(double.IsFinite(r) && r > 0));
        Assert.Equal(seeds.Average(), _r.Variable<double>("lstmMeanRmse"), 12);
        Assert.Equal(2, _r.Variable<double[][]>("lstmAhead").Length);
        Assert.All(_r.Variable<double[][]>("lstmAhead"), f => Assert.Equal(48, f.Length));
        foreach (var name in new[] { "chapter3Lookback1Rmse", "chapter3Lookback4Rmse", "linearRmse" })
            Assert.True(double.IsFinite(_r.Variable<double>(name)) && _r.Variable<double>(name) > 0, name);
    }

    [Fact]
    public void The_verdict_agrees_with_the_numbers()
    {
        VerdictCheck.AgreesWithTheNumbers(_r);
    }

    [Fact]
    public void Every_table_and_chart_is_displayed()
    {
        Assert.Equal(
            ["Plotly chart \"The validation year, one month ahead: five forecasts without training\" with 6 traces",
             "Plotly chart \"log(passengers), the known months: the swing grows far less\" with 1 trace",
             "Plotly chart \"Seasonal difference of the log: year-on-year growth\" with 1 trace",
             "Plotly chart \"…and its first difference d(t): what the simple forecasts cannot explain\" with 1 trace",
             $"Plotly chart \"The chosen setting, seed 1: loss per epoch (scaled units); best epoch {_r.Variable<int>("testFirstBestEpoch")}\" with 2 traces",
             "Plotly chart \"From the end of 1956: 48 months forecast without seeing them\" with 6 traces",
             "Plotly chart \"One month ahead, 1957–1960: every method against the data\" with 7 traces"],
            Chapter.ChartTitles(_r));
        var tables = _r.Outputs.Where(o => o.Kind == OutputKind.Result && o.Html?.Contains("<table", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(6, tables.Count);   // the benchmarks on the validation year, the LSTM settings, the linear settings, the seeds, recursive, every method
        Assert.Contains("seasonal naive with this year&#39;s growth", tables[^1].Html);
    }

    internal sealed record BenchmarkForecast(string Name, double[] Forecast);
    internal sealed record Trial(int Window, int HiddenSize, double LearningRate, double Score, int Seeds);
    internal sealed record Setting(int Window, int HiddenSize, double LearningRate);
    internal sealed record LinearTrial(int Window, double Penalty, double ValidationLoss);
    internal sealed record LinearChoice(int Window, double Penalty);
}

/// <summary>Chapter 6's settings are chosen on the validation year: a run on a series whose test months are different
/// numbers chooses the same settings, with the same validation losses.</summary>
public class Chapter06SelectionTests
{
    [Fact]
    public async Task Changing_the_test_months_changes_no_choice()
    {
        var y = AirlineCsv.Passengers();
        var lines = File.ReadAllLines(Path.Combine(Chapter.RepositoryRoot, "data", "airline-passengers.csv"));
        var altered = lines.Take(1).Concat(lines.Skip(1).Where(l => l.Trim().Length > 0).Select((l, m) =>
            m < 96 ? l : $"{l.Split(',')[0]},{Math.Round(y[m] * (m % 2 == 0 ? 1.3 : 0.8)).ToString(CultureInfo.InvariantCulture)}"));
        var path = Path.Combine(Path.GetTempPath(), $"lstm-ch6-altered-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, altered);
        try
        {
            var captured = new[] { "chosen", "testTrials", "testLinear", "seedRmse" };
            var original = await Chapter.RunWithEpilogueAsync("06-baselines-and-transforms.ipynb", Chapter06Tests.QuickParameters(null), Chapter06Tests.Epilogue, captured);
            var changed = await Chapter.RunWithEpilogueAsync("06-baselines-and-transforms.ipynb", Chapter06Tests.QuickParameters(path), Chapter06Tests.Epilogue, captured);
            Assert.Equal(original.Variable<Chapter06Tests.Setting>("chosen"), changed.Variable<Chapter06Tests.Setting>("chosen"));
            Assert.Equal(original.Variable<Chapter06Tests.Trial[]>("testTrials"), changed.Variable<Chapter06Tests.Trial[]>("testTrials"));
            Assert.Equal(original.Variable<Chapter06Tests.LinearChoice>("testLinear"), changed.Variable<Chapter06Tests.LinearChoice>("testLinear"));
            Assert.NotEqual(original.Variable<double[]>("seedRmse"), changed.Variable<double[]>("seedRmse"));   // the test months were scored
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>A candidate list a reader mistypes is refused with the parameter's name, before any training.</summary>
public class Chapter06ParameterTests
{
    [Theory]
    [InlineData("windowChoices", "12, 80", "windowChoices: a window of 80 months leaves no training window")]
    [InlineData("hiddenSizeChoices", "16, sixteen", "hiddenSizeChoices: 'sixteen' is not a number")]
    public async Task A_bad_candidate_list_fails_with_a_message_naming_the_parameter(string name, string value, string message)
    {
        var parameters = Chapter06Tests.QuickParameters(null);
        parameters[name] = value;
        var result = await NotebookExecution.RunAsync(Chapter.PathOf("06-baselines-and-transforms.ipynb"), Chapter.Options("06-baselines-and-transforms.ipynb", parameters));
        Assert.False(result.Succeeded);
        Assert.Contains(message, result.FailureMessage);
        Assert.Contains("06-baselines-and-transforms.ipynb", result.FailureMessage);
    }
}

/// <summary>Reads chapter 6's computed verdict back and checks each claim in it against the captured numbers — whichever
/// way they go.</summary>
internal static class VerdictCheck
{
    private const string Number = @"(-?\d+\.\d\d)";
    private const string Verb = "(beats|does NOT beat)";

    public static void AgreesWithTheNumbers(NotebookRunResult r)
    {
        var lines = r.Variable<string>("verdict").Split('\n');
        Assert.Equal(3, lines.Length);
        var seeds = r.Variable<double[]>("seedRmse");
        var benchmarks = r.Variable<double[]>("benchmarkRmse");
        string[] names = ["naive (persistence)", "seasonal naive", "drift", "seasonal naive with this year's change", "seasonal naive with this year's growth"];
        var strongest = Enumerable.Range(0, names.Length).MinBy(i => benchmarks[i]);
        Check(lines[0], $@"^One month ahead, the LSTM's median over {seeds.Length} seeds \({Number}\) ",
            Median(seeds), names[strongest], benchmarks[strongest], r.Variable<double>("linearRmse"), seeds);

        var y = AirlineCsv.Passengers();
        var lstmAhead = r.Variable<double[][]>("lstmAhead");
        var recursive = r.Variable<Chapter06Tests.BenchmarkForecast[]>("testRecursiveBenchmarks");
        var linearAhead = r.Variable<double[]>("linearAhead");
        foreach (var (line, months) in new[] { (lines[1], 12), (lines[2], 48) })
        {
            double Score(double[] forecast) => AirlineCsv.Rmse(forecast[..months], y[96..(96 + months)]);
            var best = recursive.MinBy(b => Score(b.Forecast))!;
            Check(line, $@"^{months} months ahead, the LSTM's median over {lstmAhead.Length} seeds \({Number}\) ", Median(lstmAhead.Select(Score).ToArray()), best.Name, Score(best.Forecast), Score(linearAhead), lstmAhead.Select(Score).ToArray());
        }
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Check(string line, string start, double ours, string benchmarkName, double benchmark, double linear, double[] perSeed)
    {
        var match = Regex.Match(line, start + $@"{Verb} the strongest benchmark, the (.+) \({Number}\), and {Verb} the linear autoregression \({Number}\); (\d+) of (\d+) seeds beat the benchmark\.$");
        Assert.True(match.Success, $"the verdict line does not read as expected: {line}");
        string Rounded(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
        Assert.Equal(Rounded(ours), match.Groups[1].Value);
        Assert.Equal(ours < benchmark ? "beats" : "does NOT beat", match.Groups[2].Value);
        Assert.Equal(benchmarkName, match.Groups[3].Value);
        Assert.Equal(Rounded(benchmark), match.Groups[4].Value);
        Assert.Equal(ours < linear ? "beats" : "does NOT beat", match.Groups[5].Value);
        Assert.Equal(Rounded(linear), match.Groups[6].Value);
        Assert.Equal(perSeed.Count(v => v < benchmark).ToString(CultureInfo.InvariantCulture), match.Groups[7].Value);
        Assert.Equal(perSeed.Length.ToString(CultureInfo.InvariantCulture), match.Groups[8].Value);
    }
}

[Trait("Category", Chapter.TutorialScale)]
public class Chapter06TutorialScaleTests
{
    [Fact]
    public async Task At_tutorial_scale_the_choice_is_made_on_the_validation_year_and_the_verdict_agrees_with_the_numbers()
    {
        var r = await Chapter.RunWithEpilogueAsync("06-baselines-and-transforms.ipynb", new Dictionary<string, object>(), Chapter06Tests.Epilogue, Chapter06Tests.Captured);
        Assert.Equal(5, r.Variable<double[]>("seedRmse").Length);
        var trials = r.Variable<Chapter06Tests.Trial[]>("testTrials");
        Assert.All(trials, t => Assert.Equal(2, t.Seeds));
        var best = trials.MinBy(t => t.Score)!;
        Assert.Equal(new Chapter06Tests.Setting(best.Window, best.HiddenSize, best.LearningRate), r.Variable<Chapter06Tests.Setting>("chosen"));
        VerdictCheck.AgreesWithTheNumbers(r);
    }
}
