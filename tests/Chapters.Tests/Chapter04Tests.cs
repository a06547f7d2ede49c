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
    "testLoss", "epilogueTestLoss", "epilogueValidationLoss")
{
    public const int Waves = 12, Length = 120, Period = 20, TestWaves = 3, ValidationWaves = 3, Steps = 3, Future = 100, Hidden = 32, Seed = 2;

    /// <summary>The model's losses as the chapter leaves it, computed again by the test.</summary>
    protected override string Epilogue => """
        double EpilogueLoss(Tensor input, Tensor target) { using var noGrad = no_grad(); return mse.call(model.call(input, 0), target).item<float>(); }
        var epilogueTestLoss = EpilogueLoss(testInput, testTarget);
        var epilogueValidationLoss = EpilogueLoss(validationInput, validationTarget);
        """;
}

public class Chapter04Tests(Chapter04Run run) : IClassFixture<Chapter04Run>
{
    private readonly NotebookRunResult _r = run.Result;
    private const int Train = Chapter04Run.Waves - Chapter04Run.TestWaves - Chapter04Run.ValidationWaves;

    [Fact]
    public void The_waves_have_distinct_shifts_and_the_shapes_of_the_three_splits_are_printed()
    {
        Assert.Contains("12 waves × 120 points, period parameter T = 20, 12 different shifts", _r.Stdout);
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
             $"Plotly chart \"Forecasts of the 3 test waves, step {best} restored\" with 6 traces"],
            Chapter.ChartTitles(_r));
        var slider = _r.Outputs.Single(o => o.Html?.Contains("validation waves") == true && o.Html.Contains("Plotly.newPlot")).Html!;
        Assert.Contains("\"sliders\"", slider);
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
