using System.Globalization;
using NotebookRunner.Host;

namespace Chapters.Tests;

public sealed class Chapter03Run() : ChapterRun("03-airline-windowing.ipynb",
    new Dictionary<string, object> { ["epochs"] = Epochs, ["reportEvery"] = ReportEvery, ["seed"] = Seed },
    "lookback1", "lookback4", "scores", "sharedRmse1", "sharedRmse4")
{
    public const int Epochs = 30, ReportEvery = 10, Seed = 1;
}

/// <summary>The chapter's <c>Experiment</c> and <c>Score</c> records, as the kernel gives them in JSON.</summary>
public sealed record Chapter03Experiment(int Lookback, int[] Epochs, double[] TrainRmse, double[] TestRmse, float[] TrainPredictions, float[] TestPredictions);
public sealed record Chapter03Score(int Lookback, double TrainRmseEveryStep, double TestRmseEveryStep, double TestRmseLastStep, double PersistenceRmseLastStep);

public class Chapter03Tests(Chapter03Run run) : IClassFixture<Chapter03Run>
{
    private readonly NotebookRunResult _r = run.Result;

    /// <summary>The test months of the CSV (the last 48 of 144), as the chapter splits them.</summary>
    internal static double[] TestMonthsFromCsv() => AirlineCsv.Passengers()[96..];

    [Fact]
    public void The_window_shapes_for_lookback_1_are_printed()
    {
        Assert.Contains("lookback 1: train features (95, 1, 1), targets (95, 1, 1)", _r.Stdout);
        Assert.Contains("lookback 1: test features  (47, 1, 1), targets (47, 1, 1)", _r.Stdout);
        Assert.Contains("windows without a feature axis: (95, 1)", _r.Stdout);
        Assert.Contains("train: 96 months (1949-01 – 1956-12)", _r.Stdout);
    }

    [Fact]
    public void Persistence_is_scored_on_the_months_each_models_last_steps_predict()
    {
        var test = TestMonthsFromCsv();
        var scores = _r.Variable<Chapter03Score[]>("scores");
        Assert.Equal([1, 4], scores.Select(s => s.Lookback));
        // Lookback 1 predicts test months 1–47 (chapter 6's months 97–143), lookback 4 months 4–47, each from the month before.
        // Both sides add the same squared errors of whole numbers in double precision in the same order: equal to the last bit.
        Assert.Equal(AirlineCsv.Rmse(test[..^1], test[1..]), scores[0].PersistenceRmseLastStep);
        Assert.Equal(AirlineCsv.Rmse(test[3..^1], test[4..]), scores[1].PersistenceRmseLastStep);
        Assert.Equal((48.53, 49.41), (Math.Round(scores[0].PersistenceRmseLastStep, 2), Math.Round(scores[1].PersistenceRmseLastStep, 2)));
        Assert.Contains(_r.Outputs, o => o.Html?.Contains("persistenceRmseLastStep", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void The_last_step_rmse_scores_each_windows_last_prediction_against_the_month_after_the_window()
    {
        var test = TestMonthsFromCsv();
        var scores = _r.Variable<Chapter03Score[]>("scores");
        foreach (var (name, score) in new[] { ("lookback1", scores[0]), ("lookback4", scores[1]) })
        {
            var e = _r.Variable<Chapter03Experiment>(name);
            Assert.Equal(test.Length - e.Lookback, e.TestPredictions.Length);
            Assert.Equal(AirlineCsv.Rmse(e.TestPredictions.Select(p => (double)p), test[e.Lookback..]), score.TestRmseLastStep);
            Assert.Equal(e.TestRmse[^1], score.TestRmseEveryStep);
        }
        // For lookback 1 every step is the last step: the two RMSEs differ only by float32 rounding.
        Assert.InRange(Math.Abs(scores[0].TestRmseEveryStep - scores[0].TestRmseLastStep), 0, 1e-5 * scores[0].TestRmseLastStep);
        // On the 44 months both predict, lookback 4's score is its last-step score; lookback 1's is over its last 44 predictions.
        Assert.Equal(scores[1].TestRmseLastStep, _r.Variable<double>("sharedRmse4"));
        var lookback1 = _r.Variable<Chapter03Experiment>("lookback1");
        Assert.Equal(AirlineCsv.Rmse(lookback1.TestPredictions[3..].Select(p => (double)p), test[4..]), _r.Variable<double>("sharedRmse1"));
    }

    [Fact]
    public void The_printed_verdicts_say_what_the_numbers_say()
    {
        foreach (var s in _r.Variable<Chapter03Score[]>("scores"))
            Assert.Contains($"lookback {s.Lookback}: last-step test RMSE {s.TestRmseLastStep:F2}, "
                + $"{(s.TestRmseLastStep < s.PersistenceRmseLastStep ? "below" : "not below")} persistence's {s.PersistenceRmseLastStep:F2}", _r.Stdout);
        var (rmse1, rmse4) = (_r.Variable<double>("sharedRmse1"), _r.Variable<double>("sharedRmse4"));
        Assert.Contains($"on the 44 test months both predict: lookback 1 {rmse1:F2}, lookback 4 {rmse4:F2} — "
            + (rmse4 < rmse1 ? "the longer window did better" : "the longer window did not do better"), _r.Stdout);
    }

    [Fact]
    public void The_yearly_table_counts_the_years_highest_and_lowest_months()
    {
        // The prose says: every year peaks in July or August; the lowest month is November in some years and January or
        // February in the others. Computed from the CSV by hand: 12 of 12; 6 and 6.
        Assert.Contains("highest month July or August: 12 of 12 years; lowest month November: 6, January or February: 6", _r.Stdout);
        Assert.Contains("highest training month: 413; test months above it: 21 of 48", _r.Stdout);
    }

    [Fact]
    public void Shuffle_true_with_a_seed_replays_one_order_while_EpochShuffler_draws_a_new_one_each_epoch()
    {
        string Order(string sampler, int epoch) =>
            _r.Stdout.Split('\n').Single(l => l.StartsWith($"epoch {epoch}, {sampler}", StringComparison.Ordinal))[$"epoch {epoch}, {sampler}".Length..].Trim();
        Assert.Equal(Order("shuffle: true, seed: 1", 1), Order("shuffle: true, seed: 1", 2));
        Assert.NotEqual(Order("EpochShuffler(6, 1)", 1), Order("EpochShuffler(6, 1)", 2));
        Assert.All(new[] { 1, 2 }, epoch => Assert.Equal("0 1 2 3 4 5", string.Join(" ", Order("EpochShuffler(6, 1)", epoch).Split(' ').Order())));
    }

    [Fact]
    public void Test_rmse_at_the_end_is_lower_than_at_epoch_0_for_both_lookbacks()
    {
        foreach (var name in new[] { "lookback1", "lookback4" })
        {
            var rmse = _r.Variable<Chapter03Experiment>(name).TestRmse;
            Assert.Equal(Chapter03Run.Epochs / Chapter03Run.ReportEvery + 1, rmse.Length);
            Assert.True(rmse[^1] < rmse[0], $"{name}: {rmse[0]} → {rmse[^1]}");
        }
    }

    [Fact]
    public void The_table_the_series_chart_the_curves_and_both_overlays_are_displayed()
    {
        Assert.Equal(
            ["Plotly chart \"International airline passengers, 1949–1960\" with 1 trace",
             "Plotly chart \"RMSE during training, lookback 1\" with 2 traces",
             "Plotly chart \"Predictions with lookback 1\" with 3 traces",
             "Plotly chart \"Predictions with lookback 4\" with 3 traces",
             "Plotly chart \"Test RMSE: lookback 1 versus 4\" with 2 traces"],
            Chapter.ChartTitles(_r));
        Assert.Contains("144 months, 1949-01 to 1960-12", _r.Stdout);
    }

}

[Trait("Category", Chapter.TutorialScale)]
public class Chapter03TutorialScaleTests
{
    [Fact]
    public async Task After_2000_epochs_lookback_1_lands_where_a_faithful_port_does_and_the_verdicts_follow_the_numbers()
    {
        var r = await Chapter.RunAsync("03-airline-windowing.ipynb", new Dictionary<string, object>(), "lookback1", "sharedRmse1", "sharedRmse4");
        var rmse1 = r.Variable<Chapter03Experiment>("lookback1").TestRmse[^1];
        Assert.InRange(rmse1, 70, 130); // PyTorch reaches about 96 with these settings; the original article reports about 100
        var (shared1, shared4) = (r.Variable<double>("sharedRmse1"), r.Variable<double>("sharedRmse4"));
        Assert.Contains(shared4 < shared1 ? "the longer window did better" : "the longer window did not do better", r.Stdout);
    }
}
