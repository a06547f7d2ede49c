using LstmNotebooks.Data;
using NotebookRunner.Host;

namespace Chapters.Tests;

public sealed class Chapter05Run() : ChapterRun("05-automated-shape-inference.ipynb",
    new Dictionary<string, object>
    {
        ["dataSeed"] = DataSeed, ["minWaves"] = MinWaves, ["maxWaves"] = MaxWaves, ["minLength"] = MinLength,
        ["maxLength"] = MaxLength, ["steps"] = Steps, ["hiddenSize"] = 32, ["seasons"] = 20,
    },
    "drawnSeries", "drawnLength", "inferredSeries", "inferredLength", "waveTestLosses", "minutesTrainLosses")
{
    public const int DataSeed = 11, MinWaves = 6, MaxWaves = 12, MinLength = 40, MaxLength = 80, Steps = 3;
}

public class Chapter05Tests(Chapter05Run run) : IClassFixture<Chapter05Run>
{
    private readonly NotebookRunResult _r = run.Result;

    [Fact]
    public void The_builder_infers_the_randomly_drawn_N_and_L()
    {
        var n = _r.Variable<int>("drawnSeries");
        var l = _r.Variable<int>("drawnLength");
        Assert.InRange(n, Chapter05Run.MinWaves, Chapter05Run.MaxWaves - 1);
        Assert.InRange(l, Chapter05Run.MinLength, Chapter05Run.MaxLength - 1);
        Assert.Equal(n, _r.Variable<int>("inferredSeries"));
        Assert.Equal(l, _r.Variable<int>("inferredLength"));
    }

    [Fact]
    public void The_builder_derives_the_split_the_tensors_and_the_forecast_from_the_shape()
    {
        var drawn = CosSinWaves.Draw(Chapter05Run.DataSeed, Chapter05Run.MinWaves, Chapter05Run.MaxWaves, Chapter05Run.MinLength, Chapter05Run.MaxLength);
        var (n, l) = (drawn.Count, drawn.Length);
        var train = Math.Clamp((int)(n * 0.95), 1, n - 1);
        Assert.Contains($"N = {n}, L = {l}: {train} train / {n - train} test series, inputs ({train}, {l - 1}) and ({n - train}, {l - 1}), forecast {l} steps", _r.Stdout);
        Assert.Contains("N = 20, L = 11: 19 train / 1 test series, inputs (19, 10) and (1, 10), forecast 11 steps", _r.Stdout);
    }

    [Fact]
    public void Bad_data_is_refused_with_its_reason()
    {
        Assert.Contains("refused: the data has 1 series; at least 2 are needed", _r.Stdout);
    }

    [Fact]
    public void The_minutes_loss_falls_and_both_data_sets_are_charted()
    {
        var losses = _r.Variable<double[]>("minutesTrainLosses");
        Assert.Equal(Chapter05Run.Steps, losses.Length);
        Assert.True(losses[^1] < losses[0], string.Join(" → ", losses));
        Assert.Equal(
            ["Plotly chart \"One of the new waves: cos(sin(x/T)²)\" with 1 trace",
             "Plotly chart \"New waves: forecasts of 3 test waves — step 3\" with 4 traces",
             "Plotly chart \"Minutes: 3 test seasons and 11 more games — step 3\" with 4 traces"],
            Chapter.ChartTitles(_r));
    }
}

[Trait("Category", Chapter.TutorialScale)]
public class Chapter05TutorialScaleTests
{
    [Fact]
    public async Task The_minutes_loss_falls_below_half_a_minute_squared_within_10_steps()
    {
        // The new waves are skipped here by drawing a small set; the minutes use the chapter's settings.
        var r = await Chapter.RunAsync("05-automated-shape-inference.ipynb",
            new Dictionary<string, object> { ["minWaves"] = 6, ["maxWaves"] = 12, ["minLength"] = 40, ["maxLength"] = 80 },
            "minutesTrainLosses");
        Assert.True(r.Variable<double[]>("minutesTrainLosses")[^1] < 0.5);
    }
}
