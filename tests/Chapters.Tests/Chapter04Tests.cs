using LstmNotebooks.Data;
using LstmNotebooks.Runtime;
using NotebookRunner.Host;

namespace Chapters.Tests;

public sealed class Chapter04Run() : ChapterRun("04-sine-wave-lstmcell-lbfgs.ipynb",
    new Dictionary<string, object>
    {
        ["waveCount"] = Waves, ["length"] = Length, ["period"] = Period, ["steps"] = Steps,
        ["future"] = Future, ["hiddenSize"] = Hidden, ["seed"] = Seed,
    },
    "trainInputShape", "testInputShape", "testLosses", "forecastShape", "bestStep", "bestTestLoss", "restoredTestLoss", "evaluationsPerStep")
{
    public const int Waves = 12, Length = 120, Period = 20, Steps = 3, Future = 100, Hidden = 32, Seed = 2;
    public const double LearningRate = 0.08;
}

public class Chapter04Tests(Chapter04Run run) : IClassFixture<Chapter04Run>
{
    private readonly NotebookRunResult _r = run.Result;

    [Fact]
    public void The_shapes_of_inputs_and_targets_are_printed()
    {
        Assert.Equal("(9, 119)", _r.Variable<string>("trainInputShape"));
        Assert.Equal("(3, 119)", _r.Variable<string>("testInputShape"));
        Assert.Contains("12 waves × 120 points, period parameter T = 20", _r.Stdout);
    }

    [Fact]
    public void Test_loss_after_the_last_step_is_lower_than_after_the_first()
    {
        var losses = _r.Variable<double[]>("testLosses");
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
    public void The_forecast_covers_the_known_points_and_the_future()
    {
        Assert.Equal($"(3, {Chapter04Run.Length - 1 + Chapter04Run.Future})", _r.Variable<string>("forecastShape"));
    }

    [Fact]
    public void Restoring_the_best_state_gives_back_the_best_steps_test_loss()
    {
        var losses = _r.Variable<double[]>("testLosses");
        var best = _r.Variable<int>("bestStep");
        Assert.Equal(losses.Min(), losses[best - 1]);
        Assert.Equal(_r.Variable<double>("bestTestLoss"), _r.Variable<double>("restoredTestLoss"));
    }

    [Fact]
    public void The_wave_the_losses_and_every_steps_forecasts_are_charted()
    {
        Assert.Equal(
            ["Plotly chart \"One of the sine waves\" with 1 trace",
             "Plotly chart \"Loss after each L-BFGS step\" with 2 traces",
             $"Plotly chart \"Forecasts of the 3 test waves — step {Chapter04Run.Steps}\" with {Chapter04Run.Steps * 6} traces"],
            Chapter.ChartTitles(_r));
        var slider = Chapter.ChartTitles(_r).Count == 3 ? _r.Outputs.Last(o => o.Html?.Contains("Plotly.newPlot") == true).Html! : "";
        Assert.Contains("\"sliders\"", slider);
    }

}

[Trait("Category", Chapter.TutorialScale)]
public class Chapter04TutorialScaleTests
{
    [Fact]
    public async Task After_10_steps_the_test_loss_is_below_1e_3()
    {
        var r = await Chapter.RunAsync("04-sine-wave-lstmcell-lbfgs.ipynb", new Dictionary<string, object>(), "testLosses");
        Assert.True(r.Variable<double[]>("testLosses")[^1] < 1e-3);
    }
}
