using System.Globalization;
using System.Text.RegularExpressions;
using NotebookRunner.Host;

namespace Chapters.Tests;

public sealed class Chapter05Run() : ChapterRun("05-automated-shape-inference.ipynb",
    new Dictionary<string, object>
    {
        ["dataSeed"] = DataSeed, ["minWaves"] = MinWaves, ["maxWaves"] = MaxWaves, ["minLength"] = MinLength,
        ["maxLength"] = MaxLength, ["steps"] = Steps, ["hiddenSize"] = 32, ["seasons"] = 20,
    },
    "minutesTrainLosses", "epilogueWaveFit", "epilogueMinutesFit", "epilogueShifts", "epilogueWaveForecasts", "epilogueMinutesForecasts",
    "epilogueMinutesLonger", "epilogueWaveComparisons", "epilogueMinutesComparisons")
{
    // Waves of 130 to 159 points: long enough to show two periods of the drawn curve (πT points, T from 10 to 29) at dataSeed 11.
    public const int DataSeed = 11, MinWaves = 6, MaxWaves = 12, MinLength = 130, MaxLength = 160, Steps = 3;

    /// <summary>
    /// Each fit as the test reads it: the chosen step, the test loss the chapter reported, the restored model's test and
    /// validation losses computed again, and every step's validation loss (round-trip text: a loss may be NaN).
    /// </summary>
    protected override string Epilogue => """
        string EpilogueText(double x) => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        string[] EpilogueFit(FitResult fit, Problem p)
        {
            using var noGrad = no_grad();
            var loss = nn.MSELoss();
            return new[] { fit.BestStep.ToString(), EpilogueText(fit.TestLoss),
                    EpilogueText(loss.call(fit.Model.call(p.TestInput, 0), p.TestTarget).item<float>()),
                    EpilogueText(loss.call(fit.Model.call(p.ValidationInput, 0), p.ValidationTarget).item<float>()) }
                .Concat(fit.Steps.Select(s => EpilogueText(s.ValidationLoss))).ToArray();
        }
        var epilogueWaveFit = EpilogueFit(waveFit, waves);
        var epilogueMinutesFit = EpilogueFit(minutesFit, minutes);
        var minutesTrainLosses = minutesFit.Steps.Select(s => s.TrainLoss).ToArray();
        var epilogueShifts = drawn.Shifts;
        var (epilogueWaveForecasts, epilogueMinutesForecasts, epilogueMinutesLonger) = (waveFit.TestForecasts, minutesFit.TestForecasts, minutesLonger);
        string[][] EpilogueComparisons(BenchmarkComparison[] comparisons) =>
            comparisons.Select(c => new[] { EpilogueText(c.Lstm) }.Concat(c.Benchmarks.Select(b => EpilogueText(b.Mse))).Append(c.ToString()).ToArray()).ToArray();
        BenchmarkComparison[] EpilogueCompare(Problem p, FitResult fit, float[,] data, float[][] longer) =>
            CompareWithBenchmarks(longer, p.L - 1, p.Future, EstimatePeriod(Rows(data, p.TestCount + p.ValidationCount, p.TrainCount)), fit.TestLoss, fit.TestForecasts);
        var epilogueWaveComparisons = EpilogueComparisons(EpilogueCompare(waves, waveFit, drawn.Values, wavesLonger));
        var epilogueMinutesComparisons = EpilogueComparisons(EpilogueCompare(minutes, minutesFit, seasonsOfMinutes, minutesLonger));
        """;
}

public partial class Chapter05Tests(Chapter05Run run) : IClassFixture<Chapter05Run>
{
    private readonly NotebookRunResult _r = run.Result;

    private (int N, int L, int T, int Shifts) Drawn()
    {
        var m = Regex.Match(_r.Stdout, @"drawn: (\d+) waves × (\d+) points, T = (\d+), (\d+) different shifts");
        Assert.True(m.Success, _r.Stdout);
        return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value));
    }

    [Fact]
    public void The_drawn_shape_is_within_its_ranges_and_every_wave_has_its_own_shift()
    {
        var (n, l, t, shifts) = Drawn();
        Assert.InRange(n, Chapter05Run.MinWaves, Chapter05Run.MaxWaves - 1);
        Assert.InRange(l, Chapter05Run.MinLength, Chapter05Run.MaxLength - 1);
        Assert.InRange(t, 10, 29);
        Assert.True(n <= 8 * t);
        Assert.Equal(n, shifts);
    }

    [Fact]
    public void The_builder_derives_the_split_the_tensors_and_the_forecast_from_the_shape()
    {
        var (n, l, _, _) = Drawn();
        var (test, validation) = (Math.Max(1, (int)(n * 0.05)), Math.Max(1, (int)(n * 0.05)));
        var train = n - test - validation;
        Assert.Contains($"N = {n}, L = {l}: {train} train / {validation} validation / {test} test series, inputs ({train}, {l - 1}), ({validation}, {l - 1}) and ({test}, {l - 1}), forecast {l} steps", _r.Stdout);
        Assert.Contains("N = 20, L = 11: 18 train / 1 validation / 1 test series, inputs (18, 10), (1, 10) and (1, 10), forecast 11 steps", _r.Stdout);
    }

    [Fact]
    public void Bad_data_is_refused_with_its_reason()
    {
        Assert.Contains("refused: the data has 2 series; at least 3 are needed", _r.Stdout);
    }

    [Theory]
    [InlineData("epilogueWaveFit", 0)]
    [InlineData("epilogueMinutesFit", 1)]
    public void Validation_chooses_the_step_the_test_loss_is_the_restored_models_and_the_verdict_says_so(string fit, int verdictIndex)
    {
        var values = _r.Variable<string[]>(fit);
        double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        var (best, testLoss, restoredTest, restoredValidation) = (int.Parse(values[0]), Number(values[1]), Number(values[2]), Number(values[3]));
        var validation = values[4..].Select(Number).ToArray();
        Assert.Equal(Chapter05Run.Steps, validation.Length);

        var lowest = validation.Where(double.IsFinite).Min();                // a NaN step is never chosen
        Assert.Equal(Array.IndexOf(validation, lowest) + 1, best);
        Assert.Equal(validation[best - 1], restoredValidation);               // the model Fit returns is the chosen step's
        Assert.Equal(testLoss, restoredTest);

        var verdicts = Regex.Matches(_r.Stdout, @"validation chose step (\d+) \(validation loss ([^;]+); ([^)]*)\); test loss of the restored model, computed once: (\S+)");
        Assert.Equal(2, verdicts.Count);
        var verdict = verdicts[verdictIndex];
        Assert.Equal(best.ToString(), verdict.Groups[1].Value);
        Assert.Equal(validation[best - 1].ToString("G4"), verdict.Groups[2].Value);
        Assert.Equal(testLoss.ToString("G4"), verdict.Groups[4].Value);
        var last = validation[^1];
        var blewUp = !(last <= 10 * validation[best - 1]);
        Assert.Equal(best == validation.Length, verdict.Groups[3].Value == "the last step");
        Assert.Equal(best != validation.Length && blewUp, verdict.Groups[3].Value.Contains("blew up"));
    }

    [Fact]
    public void The_minutes_loss_falls_and_both_data_sets_restored_forecasts_are_charted()
    {
        var losses = _r.Variable<double[]>("minutesTrainLosses");
        Assert.Equal(Chapter05Run.Steps, losses.Length);
        Assert.True(losses[^1] < losses[0], string.Join(" → ", losses));
        var (waveBest, minutesBest) = (_r.Variable<string[]>("epilogueWaveFit")[0], _r.Variable<string[]>("epilogueMinutesFit")[0]);
        Assert.Equal(
            ["Plotly chart \"One of the new waves: cos(sin(x/T)²)\" with 1 trace",
             $"Plotly chart \"New waves: forecasts of 1 test series, step {waveBest} restored\" with 2 traces",
             $"Plotly chart \"Minutes: forecasts of 1 test series and 11 more games, step {minutesBest} restored\" with 2 traces"],
            Chapter.ChartTitles(_r));
        Assert.Matches(@"test season 0's forecast rises [+-]\d+\.\d\d minutes in its first game past the data and [+-]\d+\.\d\d in its last \(the trend: \+1\.6\)", _r.Stdout);
    }
}

/// <summary>The chapter's benchmarks, on the same run.</summary>
public partial class Chapter05Tests
{
    /// <summary>A comparison as the epilogue gave it: the LSTM's MSE, each benchmark's, and the lines the chapter prints.</summary>
    private (double[] Scores, string Text)[] Comparisons(string variable) =>
        _r.Variable<string[][]>(variable).Select(c => (c[..^1].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray(), c[^1])).ToArray();

    /// <summary>The test's own scores on series whose points 0 … read − 1 were read and whose next horizon points are the
    /// truth: one step ahead, the last value and the last change; free-running, the LSTM (output column j predicts point
    /// j + 1), the last value, the last change and, with a period, the point one or more periods back.</summary>
    private static (double[] OneStep, double[] FreeRunning) Scores(float[][] series, int read, int horizon, int? period, float[][] outputs)
    {
        double Mean(Func<float[], int, double> forecast, IEnumerable<int> points) => series.SelectMany(y => points.Select(t => Math.Pow(forecast(y, t) - y[t], 2))).Average();
        var known = Enumerable.Range(1, read).ToArray();
        var ahead = Enumerable.Range(read, horizon).ToArray();
        var oneStep = new[] { Mean((y, t) => y[t - 1], known), Mean((y, t) => t == 1 ? y[0] : 2.0 * y[t - 1] - y[t - 2], known) };
        var lstm = series.SelectMany((y, w) => ahead.Select(q => Math.Pow(outputs[w][q - 1] - (double)y[q], 2))).Average();
        var freeRunning = new List<double> { lstm, Mean((y, q) => y[read - 1], ahead), Mean((y, q) => y[read - 1] + (q - read + 1) * ((double)y[read - 1] - y[read - 2]), ahead) };
        if (period is int p) freeRunning.Add(Mean((y, q) => y[q - p * (int)Math.Ceiling((q - read + 1) / (double)p)], ahead));
        return (oneStep, freeRunning.ToArray());
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Abs(expected[i]) + 1e-9, $"score {i}: expected {expected[i]:R}, the chapter has {actual[i]:R}");
    }

    [Fact]
    public void The_new_waves_benchmarks_use_a_period_estimated_near_πT_and_equal_the_tests_own_scores()
    {
        var (n, l, t, _) = Drawn();
        var period = int.Parse(Regex.Match(_r.Stdout, @"new waves: period estimated from the (\d+) training series: (\d+) points").Groups[2].Value);
        Assert.InRange(period, Math.PI * t - 1, Math.PI * t + 1);
        var testCount = Math.Max(1, (int)(n * 0.05));
        var shifts = _r.Variable<int[]>("epilogueShifts");
        var series = Enumerable.Range(0, testCount)
            .Select(w => Enumerable.Range(0, 2 * l).Select(x => (float)Math.Cos(Math.Pow(Math.Sin((x + shifts[w]) / (double)t), 2))).ToArray()).ToArray();
        var (oneStep, freeRunning) = Scores(series, l - 1, l, period, _r.Variable<float[][]>("epilogueWaveForecasts"));
        var comparisons = Comparisons("epilogueWaveComparisons");
        AssertClose([double.Parse(_r.Variable<string[]>("epilogueWaveFit")[1], CultureInfo.InvariantCulture), .. oneStep], comparisons[0].Scores);
        AssertClose(freeRunning, comparisons[1].Scores);
    }

    [Fact]
    public void The_minutes_have_no_period_and_repeating_the_last_change_continues_each_seasons_line()
    {
        Assert.Contains("minutes: the 18 training series show no period within half their 11 points", _r.Stdout);
        var longer = _r.Variable<float[][]>("epilogueMinutesLonger");
        Assert.Single(longer);                                            // 20 seasons: 1 test season, 22 games (11 known, 11 past the data)
        Assert.All(longer, season => Assert.Equal(22, season.Length));
        Assert.All(longer, season => Assert.All(season.Zip(season.Skip(1), (a, b) => b - a), rise => Assert.Equal(1.6, rise, 1e-4)));
        var (oneStep, freeRunning) = Scores(longer, 10, 11, null, _r.Variable<float[][]>("epilogueMinutesForecasts"));
        Assert.Equal(1.6 * 1.6, oneStep[0], 1e-3);                        // every game 1.6 above the one before
        Assert.Equal(1.6 * 1.6 / 10, oneStep[1], 1e-3);                   // only point 1 has no change before it
        Assert.True(freeRunning[2] < 1e-6, $"the last change repeated: MSE {freeRunning[2]}");
        var comparisons = Comparisons("epilogueMinutesComparisons");
        AssertClose([double.Parse(_r.Variable<string[]>("epilogueMinutesFit")[1], CultureInfo.InvariantCulture), .. oneStep], comparisons[0].Scores);
        AssertClose(freeRunning[..2], comparisons[1].Scores[..2]);
        Assert.True(comparisons[1].Scores[2] < 1e-6);
    }

    [Theory]
    [InlineData("epilogueWaveComparisons")]
    [InlineData("epilogueMinutesComparisons")]
    public void Each_verdict_says_the_LSTM_beats_the_strongest_benchmark_exactly_when_its_MSE_is_lower(string variable)
    {
        foreach (var (scores, text) in Comparisons(variable))
        {
            Assert.Contains(text, _r.Stdout);                               // the chapter printed these comparisons
            var strongest = scores[1..].Min();
            var verdict = Regex.Match(text, @"The LSTM (beats|does NOT beat) the strongest benchmark, (.+) \((\S+) against (\S+)\)\.$");
            Assert.True(verdict.Success, text);
            Assert.Equal(scores[0] < strongest ? "beats" : "does NOT beat", verdict.Groups[1].Value);
            Assert.Equal((scores[0].ToString("G4"), strongest.ToString("G4")), (verdict.Groups[3].Value, verdict.Groups[4].Value));
        }
    }
}

[Trait("Category", Chapter.TutorialScale)]
public class Chapter05TutorialScaleTests
{
    [Fact]
    public async Task The_minutes_loss_falls_below_half_a_minute_squared_within_10_steps()
    {
        // The new waves are skipped here by drawing a small set; the minutes use the chapter's settings.
        var r = await Chapter.RunWithEpilogueAsync("05-automated-shape-inference.ipynb",
            new Dictionary<string, object> { ["minWaves"] = 6, ["maxWaves"] = 12, ["minLength"] = 40, ["maxLength"] = 80 },
            "var minutesTrainLosses = minutesFit.Steps.Select(s => s.TrainLoss).ToArray();", "minutesTrainLosses");
        Assert.True(r.Variable<double[]>("minutesTrainLosses")[^1] < 0.5);
    }
}
