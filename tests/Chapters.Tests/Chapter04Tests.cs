using System.Globalization;
using System.Text.RegularExpressions;
using NotebookRunner.Host;

namespace Chapters.Tests;

public sealed class Chapter04Run() : ChapterRun("04-sine-wave-lstmcell-lbfgs.ipynb",
    new Dictionary<string, object>
    {
        ["waveCount"] = Waves, ["length"] = Length, ["period"] = Period, ["testWaves"] = TestWaves,
        ["validationWaves"] = ValidationWaves, ["steps"] = Steps, ["future"] = Future, ["hiddenSize"] = Hidden, ["seed"] = Seed,
    },
    "trainLosses", "validationLosses", "evaluationsPerStep", "bestStep", "bestValidationLoss", "restoredValidationLoss",
    "testLoss", "epilogueTestLoss", "epilogueValidationLoss",
    "estimatedPeriod", "testForecasts", "epilogueShifts", "epilogueComparisons", "epilogueComparisonTexts")
{
    // T = 5: a period of 2π · 5 ≈ 31.4 points, so that waves of 120 points show one (the period is searched up to half their length).
    public const int Waves = 12, Length = 120, Period = 5, TestWaves = 3, ValidationWaves = 3, Steps = 3, Future = 100, Hidden = 32, Seed = 2;

    /// <summary>The model's losses as the chapter leaves it, computed again by the test; the waves' shifts; and each
    /// benchmark comparison: the LSTM's MSE, then each benchmark's (round-trip text: an MSE may be NaN), and its lines.</summary>
    protected override string Epilogue => """
        double EpilogueLoss(Tensor input, Tensor target) { using var noGrad = no_grad(); return mse.call(model.call(input, 0), target).item<float>(); }
        var epilogueTestLoss = EpilogueLoss(testInput, testTarget);
        var epilogueValidationLoss = EpilogueLoss(validationInput, validationTarget);
        var epilogueShifts = waves.Shifts;
        string EpilogueText(double x) => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var epilogueComparisons = comparisons.Select(c => new[] { EpilogueText(c.Lstm) }.Concat(c.Benchmarks.Select(b => EpilogueText(b.Mse))).ToArray()).ToArray();
        var epilogueComparisonTexts = comparisons.Select(c => c.ToString()).ToArray();
        """;
}

public partial class Chapter04Tests(Chapter04Run run) : IClassFixture<Chapter04Run>
{
    private readonly NotebookRunResult _r = run.Result;
    private const int Train = Chapter04Run.Waves - Chapter04Run.TestWaves - Chapter04Run.ValidationWaves;

    [Fact]
    public void The_waves_have_distinct_shifts_and_the_shapes_of_the_three_splits_are_printed()
    {
        Assert.Contains("12 waves × 120 points, period parameter T = 5, 12 different shifts", _r.Stdout);
        Assert.Contains($"train input ({Train}, 119), target ({Train}, 119)", _r.Stdout);
        Assert.Contains("validation input (3, 119), target (3, 119)", _r.Stdout);
        Assert.Contains("test input (3, 119), target (3, 119)", _r.Stdout);
    }

    [Fact]
    public void Each_held_out_wave_is_set_beside_its_nearest_training_wave_and_none_is_a_copy()
    {
        var lines = Regex.Matches(_r.Stdout, @"(test|validation) wave (\d+): shift (-?\d+); nearest training shift (-?\d+) \((\d+) apart\): (\d+) of its (\d+) points are in that training wave");
        Assert.Equal(Chapter04Run.TestWaves + Chapter04Run.ValidationWaves, lines.Count);
        foreach (Match m in lines)
        {
            var (wave, shift, nearest, apart, shared) = (int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value),
                int.Parse(m.Groups[4].Value), int.Parse(m.Groups[5].Value), int.Parse(m.Groups[6].Value));
            Assert.Equal(wave < Chapter04Run.TestWaves ? "test" : "validation", m.Groups[1].Value);
            Assert.Equal(Math.Abs(nearest - shift), apart);
            Assert.True(apart >= 1, m.Value);                        // distinct shifts: no held-out wave is a training wave
            Assert.Equal(Math.Max(0, Chapter04Run.Length - apart), shared);
        }
    }

    [Fact]
    public void The_train_loss_after_the_last_step_is_lower_than_after_the_first()
    {
        var losses = _r.Variable<double[]>("trainLosses");
        Assert.Equal(Chapter04Run.Steps, losses.Length);
        Assert.True(losses[^1] < losses[0], string.Join(" → ", losses));
    }

    [Fact]
    public void Each_step_counts_its_closure_evaluations_within_LBFGS_limits()
    {
        // optim.LBFGS's defaults: max_iter = 20 iterations, max_eval = max_iter * 5 / 4 = 25 closure calls per step.
        var evaluations = _r.Variable<int[]>("evaluationsPerStep");
        Assert.Equal(Chapter04Run.Steps, evaluations.Length);
        Assert.All(evaluations, e => Assert.InRange(e, 1, 25));
        Assert.Contains($"closure evaluations per step: {string.Join(", ", evaluations)} ({evaluations.Sum()} forward and backward passes in all)", _r.Stdout);
    }

    [Fact]
    public void The_validation_loss_chooses_the_step_and_restoring_it_gives_that_loss_back()
    {
        var losses = _r.Variable<double[]>("validationLosses");
        var best = _r.Variable<int>("bestStep");
        Assert.Equal(Chapter04Run.Steps, losses.Length);
        Assert.Equal(Array.IndexOf(losses, losses.Min()) + 1, best);          // the first step with the lowest loss
        Assert.Equal(losses[best - 1], _r.Variable<double>("bestValidationLoss"));
        Assert.Equal(losses[best - 1], _r.Variable<double>("restoredValidationLoss"));
        Assert.Equal(losses[best - 1], _r.Variable<double>("epilogueValidationLoss"));   // the model is the restored one
        Assert.Contains($"step {best} had the lowest validation loss, {losses[best - 1]:G4}; restored, the model's validation loss is {losses[best - 1]:G4}", _r.Stdout);
    }

    [Fact]
    public void The_test_loss_is_the_restored_models_and_is_reported_once()
    {
        var testLoss = _r.Variable<double>("testLoss");
        Assert.Equal(_r.Variable<double>("epilogueTestLoss"), testLoss);
        var outputs = string.Join("\n", _r.Outputs.Select(o => o.PlainText));
        Assert.Single(Regex.Matches(outputs, "test loss"));
        Assert.Contains($"test loss of the restored model, computed once: {testLoss:G4}", _r.Stdout);
        var lossChart = _r.Outputs.Single(o => o.Html?.Contains("Loss after each L-BFGS step") == true).Html!;
        Assert.Contains("\"validation loss\"", lossChart);
        Assert.DoesNotContain("\"test loss\"", lossChart);
    }

    [Fact]
    public void The_test_forecast_covers_the_known_points_and_the_future()
    {
        var outputs = string.Join("\n", _r.Outputs.Select(o => o.PlainText));
        Assert.Contains($"forecast tensor: (3, {Chapter04Run.Length - 1 + Chapter04Run.Future})", outputs);
    }

    [Fact]
    public void The_wave_the_losses_every_steps_validation_forecasts_and_the_restored_test_forecasts_are_charted()
    {
        var best = _r.Variable<int>("bestStep");
        Assert.Equal(
            ["Plotly chart \"One of the sine waves\" with 1 trace",
             "Plotly chart \"Loss after each L-BFGS step\" with 2 traces",
             $"Plotly chart \"Forecasts of the 3 validation waves — step {Chapter04Run.Steps}\" with {Chapter04Run.Steps * 6} traces",
             $"Plotly chart \"Forecasts of the 3 test waves, step {best} restored\" with 6 traces",
             "Plotly chart \"Test wave 0 past the points the model read\" with 3 traces"],
            Chapter.ChartTitles(_r));
        var slider = _r.Outputs.Single(o => o.Html?.Contains("validation waves") == true && o.Html.Contains("Plotly.newPlot")).Html!;
        Assert.Contains("\"sliders\"", slider);
    }
}

/// <summary>The chapter's benchmarks, on the same run.</summary>
public partial class Chapter04Tests
{
    private const int Read = Chapter04Run.Length - 1;   // the model read points 0 … L − 2 of each test wave

    /// <summary>Wave w of the chapter's, as the test computes it from its shift: points 0 … count − 1 of sin((x + s) / T).</summary>
    private float[] Wave(int w, int count) =>
        Enumerable.Range(0, count).Select(x => (float)Math.Sin((x + _r.Variable<int[]>("epilogueShifts")[w]) / (double)Chapter04Run.Period)).ToArray();

    private static double Mean(IEnumerable<double> values) => values.Average();

    private double[][] Comparisons() =>
        _r.Variable<string[][]>("epilogueComparisons").Select(c => c.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    [Fact]
    public void The_period_is_the_first_autocorrelation_peak_of_the_training_waves_near_2πT()
    {
        // The test's own autocorrelation: the mean over the training waves of the lag-k correlation, pairs averaged.
        var training = Enumerable.Range(Chapter04Run.TestWaves + Chapter04Run.ValidationWaves, Train).Select(w => Wave(w, Chapter04Run.Length)).ToArray();
        double R(int k) => training.Average(s =>
        {
            var m = s.Average(v => (double)v);
            return Enumerable.Range(k, s.Length - k).Average(t => (s[t] - m) * (s[t - k] - m)) / s.Average(v => (v - m) * (v - m));
        });
        var r = Enumerable.Range(0, Chapter04Run.Length / 2 + 1).Select(k => k == 0 ? 1 : R(k)).ToArray();
        var dip = Array.FindIndex(r, v => v < 0);
        var peak = Enumerable.Range(dip, r.Length - dip - 1).First(k => r[k] > 0 && r[k] > r[k + 1]);

        var estimated = _r.Variable<int?>("estimatedPeriod");
        Assert.Equal(peak, estimated);
        Assert.InRange(estimated!.Value, 2 * Math.PI * Chapter04Run.Period - 1, 2 * Math.PI * Chapter04Run.Period + 1);
        Assert.Contains($"period estimated from the {Train} training waves: {estimated} points (2πT = {2 * Math.PI * Chapter04Run.Period:F2})", _r.Stdout);
        Assert.Contains($"the longer test waves start with the data's {Chapter04Run.Length} points: True", _r.Stdout);
    }

    [Fact]
    public void The_benchmarks_and_the_LSTMs_free_running_forecast_are_scored_on_the_same_points_as_the_test_computes_them()
    {
        var (period, future) = (_r.Variable<int?>("estimatedPeriod")!.Value, Chapter04Run.Future);
        var waves = Enumerable.Range(0, Chapter04Run.TestWaves).Select(w => Wave(w, Read + future)).ToArray();
        var outputs = _r.Variable<float[][]>("testForecasts");

        // One step ahead, points 1 … Read: the last value, and the last change (none before point 1).
        var lastValue = Mean(waves.SelectMany(y => Enumerable.Range(1, Read).Select(t => Math.Pow(y[t] - (double)y[t - 1], 2))));
        var lastChange = Mean(waves.SelectMany(y => Enumerable.Range(1, Read).Select(t =>
            Math.Pow(y[t] - (t == 1 ? y[0] : 2.0 * y[t - 1] - y[t - 2]), 2))));
        // Free-running, points Read … Read + future − 1, from points 0 … Read − 1; point q one or more periods back.
        var points = Enumerable.Range(Read, future).ToArray();
        var aheadValue = Mean(waves.SelectMany(y => points.Select(q => Math.Pow(y[q] - (double)y[Read - 1], 2))));
        var aheadChange = Mean(waves.SelectMany(y => points.Select(q => Math.Pow(y[q] - (y[Read - 1] + (q - Read + 1) * ((double)y[Read - 1] - y[Read - 2])), 2))));
        var aheadPeriod = Mean(waves.SelectMany(y => points.Select(q => Math.Pow(y[q] - (double)y[q - period * (int)Math.Ceiling((q - Read + 1) / (double)period)], 2))));
        var lstmAhead = Mean(waves.SelectMany((y, w) => points.Select(q => Math.Pow(y[q] - (double)outputs[w][q - 1], 2))));   // output column j predicts point j + 1

        var (oneStep, freeRunning) = (Comparisons()[0], Comparisons()[1]);
        AssertClose([_r.Variable<double>("testLoss"), lastValue, lastChange], oneStep);
        AssertClose([lstmAhead, aheadValue, aheadChange, aheadPeriod], freeRunning);
        Assert.Contains($"One step ahead, points 1 … {Read} of 3 test series, MSE: the LSTM {_r.Variable<double>("testLoss"):G4}; repeating the last value {oneStep[1]:G4}; repeating the last change {oneStep[2]:G4}.", _r.Stdout);
        Assert.Contains($"Free-running, points {Read} … {Read + future - 1} of 3 test series, MSE: the LSTM {freeRunning[0]:G4}; repeating the last value {freeRunning[1]:G4}; " +
            $"repeating the last change {freeRunning[2]:G4}; repeating the last period of {period} points {freeRunning[3]:G4}.", _r.Stdout);
    }

    [Fact]
    public void Each_verdict_says_the_LSTM_beats_the_strongest_benchmark_exactly_when_its_MSE_is_lower()
    {
        var texts = _r.Variable<string[]>("epilogueComparisonTexts");
        foreach (var (scores, text) in Comparisons().Zip(texts))
        {
            Assert.Contains(text, _r.Stdout);                               // the chapter printed these comparisons
            var strongest = scores[1..].Min();
            var verdict = Regex.Match(text, @"The LSTM (beats|does NOT beat) the strongest benchmark, (.+) \((\S+) against (\S+)\)\.$");
            Assert.True(verdict.Success, text);
            Assert.Equal(scores[0] < strongest ? "beats" : "does NOT beat", verdict.Groups[1].Value);
            Assert.Equal(strongest.ToString("G4"), verdict.Groups[4].Value);
            Assert.Equal(scores[0].ToString("G4"), verdict.Groups[3].Value);
        }
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Abs(expected[i]) + 1e-9, $"score {i}: expected {expected[i]:R}, the chapter has {actual[i]:R}");
    }
}

[Trait("Category", Chapter.TutorialScale)]
public class Chapter04TutorialScaleTests
{
    [Fact]
    public async Task After_10_steps_the_restored_models_test_loss_is_below_1e_3()
    {
        var r = await Chapter.RunAsync("04-sine-wave-lstmcell-lbfgs.ipynb", new Dictionary<string, object>(), "testLoss");
        Assert.True(r.Variable<double>("testLoss") < 1e-3, $"test loss {r.Variable<double>("testLoss")}");
    }
}
