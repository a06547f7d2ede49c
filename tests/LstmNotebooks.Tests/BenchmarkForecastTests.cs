using static LstmNotebooks.Chapters.Chapter04;

namespace LstmNotebooks.Tests;

/// <summary>
/// Chapter 4's benchmarks, which chapter 5 calls too (the chapter's cells marked <c>// @save</c>, as the library compiles
/// them): the period from the autocorrelation, the three forecasts that need no training, and the verdict.
/// </summary>
public class BenchmarkForecastTests
{
    private static float[] Curve(int length, Func<double, double> shape, double shift = 0) =>
        Enumerable.Range(0, length).Select(x => (float)shape(x + shift)).ToArray();

    [Theory]
    [InlineData(7.0, 44)]     // sin(x/7): 2π · 7 ≈ 43.98 points
    [InlineData(20.0, 126)]   // 2π · 20 ≈ 125.66
    [InlineData(5.0, 31)]     // 2π · 5 ≈ 31.42
    public void The_period_of_sines_is_the_whole_number_nearest_2πT(double t, int period)
    {
        var waves = Enumerable.Range(0, 4).Select(s => Curve(1000, x => Math.Sin(x / t), shift: 13 * s)).ToArray();
        Assert.Equal(period, EstimatePeriod(waves));
    }

    [Fact]
    public void A_curve_whose_top_is_flattened_has_its_period_too_though_twice_the_period_matches_better()
    {
        var waves = Enumerable.Range(0, 3).Select(s => Curve(400, x => Math.Cos(Math.Pow(Math.Sin(x / 10), 2)), shift: 7 * s)).ToArray();
        Assert.Equal(31, EstimatePeriod(waves));                         // cos(sin(x/10)²) repeats every 10π ≈ 31.42 points
        Assert.True(Autocorrelation(waves[0], 63) > Autocorrelation(waves[0], 31));   // 2 · 31.42 is nearer a whole number
        Assert.True(Autocorrelation(waves[0], 1) > 0.9);                 // and one point on, the curve nearly matches itself
    }

    [Fact]
    public void Series_shorter_than_two_periods_a_line_and_a_constant_show_no_period()
    {
        Assert.Null(EstimatePeriod([Curve(120, x => Math.Sin(x / 20))]));   // a period of 125.66 points in 120
        Assert.Null(EstimatePeriod([Curve(500, x => 1.6 * x + 14)]));
        Assert.Null(EstimatePeriod([Curve(50, _ => 3)]));
        Assert.Null(EstimatePeriod([[1, 2, 3]]));
    }

    [Fact]
    public void The_three_forecasts_repeat_the_last_value_change_and_period()
    {
        float[] known = [1, 4, 2, 5, 3, 6];
        Assert.Equal([6, 6, 6], RepeatLastValue(known, 3));
        Assert.Equal([9, 12, 15], RepeatLastChange(known, 3));
        Assert.Equal([7], RepeatLastChange([7], 1));                        // one point: no change
        Assert.Equal([3, 6, 3, 6, 3], RepeatLastPeriod(known, 2, 5));
        Assert.Equal([5, 3, 6, 5], RepeatLastPeriod(known, 3, 4));
    }

    [Fact]
    public void The_mean_squared_error_runs_over_every_point_of_every_series_and_refuses_different_lengths()
    {
        Assert.Equal((1.0 + 4 + 0 + 9) / 4, Mse([[1, 2], [3, 4]], [[0, 0], [3, 1]]));
        Assert.Throws<ArgumentException>(() => Mse([[1, 2]], [[1, 2, 3]]));
    }

    [Fact]
    public void The_comparison_scores_each_task_on_the_models_points_and_a_tie_does_not_beat()
    {
        // A line: the last change is exact one step ahead from point 2 on, and free-running.
        float[][] series = [[0, 1, 2, 3, 4, 5, 6, 7]];
        var perfect = new float[][] { [1, 2, 3, 4, 5, 6, 7] };            // output column j predicts point j + 1
        var (oneStep, freeRunning) = (CompareWithBenchmarks(series, 6, 2, null, 0.5, perfect)[0], CompareWithBenchmarks(series, 6, 2, null, 0.5, perfect)[1]);
        Assert.Equal([("repeating the last value", 1.0), ("repeating the last change", 1.0 / 6)], oneStep.Benchmarks);
        Assert.Equal(0.5, oneStep.Lstm);
        Assert.False(oneStep.LstmBeatsStrongest);
        Assert.Equal(0, freeRunning.Lstm);
        Assert.Equal([("repeating the last value", (1.0 + 4) / 2), ("repeating the last change", 0.0)], freeRunning.Benchmarks);
        Assert.False(freeRunning.LstmBeatsStrongest);                    // 0 against 0
        Assert.Contains("The LSTM does NOT beat the strongest benchmark, repeating the last change (0 against 0).", freeRunning.ToString());
        Assert.Equal("Free-running, points 6 … 7 of 1 test series", freeRunning.Task);
    }

    [Fact]
    public void With_a_period_the_free_running_task_has_the_seasonal_naive_and_a_NaN_forecast_beats_nothing()
    {
        var wave = Curve(40, x => x % 4);                                 // 0 1 2 3 0 1 2 3 …
        var comparisons = CompareWithBenchmarks([wave], 30, 10, 4, 0.1, [Enumerable.Repeat(float.NaN, 39).ToArray()]);
        Assert.Equal(["repeating the last value", "repeating the last change"], comparisons[0].Benchmarks.Select(b => b.Name));
        Assert.Equal(("repeating the last period of 4 points", 0.0), comparisons[1].Benchmarks[2]);
        Assert.Equal(comparisons[1].Benchmarks[2], comparisons[1].Strongest);
        Assert.True(double.IsNaN(comparisons[1].Lstm));
        Assert.False(comparisons[1].LstmBeatsStrongest);
        Assert.True(comparisons[0].LstmBeatsStrongest == (0.1 < comparisons[0].Strongest.Mse));
    }
}
