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
    "minutesTrainLosses", "epilogueWaveFit", "epilogueMinutesFit")
{
    public const int DataSeed = 11, MinWaves = 6, MaxWaves = 12, MinLength = 40, MaxLength = 80, Steps = 3;

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
        """;
}

public class Chapter05Tests(Chapter05Run run) : IClassFixture<Chapter05Run>
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
