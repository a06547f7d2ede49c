using System.Globalization;
using NotebookRunner.Host;

namespace Chapters.Tests;

public sealed class Chapter06Run() : ChapterRun("06-baselines-and-transforms.ipynb",
    new Dictionary<string, object> { ["maxEpochs"] = 20, ["patience"] = 10, ["seeds"] = 2, ["chapter3Epochs"] = 20 },
    Chapter06Tests.Captured)
{
}

public class Chapter06Tests(Chapter06Run run) : IClassFixture<Chapter06Run>
{
    public static readonly string[] Captured =
    [
        "testMonths", "naiveRmse", "seasonalNaiveRmse", "driftRmse", "seasonalChangeRmse", "seedRmse", "lstmRmse", "lstmSpread",
        "chapter3Lookback1Rmse", "chapter3Lookback4Rmse", "recursive12Rmse", "recursive48Rmse", "seasonalNaive12Rmse", "seasonalNaive48Rmse", "verdict",
    ];

    private readonly NotebookRunResult _r = run.Result;

    /// <summary>The four benchmark forecasts computed straight from the CSV, as a reader would check them by hand.</summary>
    internal static (double Naive, double SeasonalNaive, double Drift, double SeasonalChange) BaselinesFromCsv()
    {
        var y = File.ReadAllLines(Path.Combine(Chapter.RepositoryRoot, "data", "airline-passengers.csv")).Skip(1)
            .Where(l => l.Trim().Length > 0).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        double Rmse(Func<int, double> forecast)
        {
            var months = Enumerable.Range(97, 47).ToArray();
            return Math.Sqrt(months.Select(m => (forecast(m) - y[m]) * (forecast(m) - y[m])).Average());
        }
        return (Rmse(m => y[m - 1]), Rmse(m => y[m - 12]), Rmse(m => y[m - 1] + (y[m - 1] - y[0]) / (m - 1)), Rmse(m => y[m - 12] + y[m - 1] - y[m - 13]));
    }

    [Fact]
    public void The_test_months_are_the_ones_chapter_3_predicts()
    {
        Assert.Equal(Enumerable.Range(97, 47), _r.Variable<int[]>("testMonths"));
    }

    [Fact]
    public void The_benchmarks_equal_a_plain_computation_over_the_csv()
    {
        var (naive, seasonalNaive, drift, seasonalChange) = BaselinesFromCsv();
        // Both sides add the same 47 squared errors in double precision in the same order: equal to the last bits.
        Assert.Equal(naive, _r.Variable<double>("naiveRmse"));
        Assert.Equal(seasonalNaive, _r.Variable<double>("seasonalNaiveRmse"));
        Assert.Equal(drift, _r.Variable<double>("driftRmse"));
        Assert.Equal(seasonalChange, _r.Variable<double>("seasonalChangeRmse"));
        Assert.Equal((48.53, 42.05, 48.67, 15.52), (Math.Round(naive, 2), Math.Round(seasonalNaive, 2), Math.Round(drift, 2), Math.Round(seasonalChange, 2)));
    }

    [Fact]
    public void Every_seed_is_trained_and_reported_with_the_mean_and_spread()
    {
        var seeds = _r.Variable<double[]>("seedRmse");
        Assert.Equal(2, seeds.Length);
        Assert.All(seeds, r => Assert.True(double.IsFinite(r) && r > 0));
        Assert.Equal(seeds.Average(), _r.Variable<double>("lstmRmse"), 12);
        Assert.Contains("In the mean over 2 seeds, this chapter's LSTM", _r.Variable<string>("verdict"));
        Assert.Contains(_r.Outputs, o => o.PlainText?.StartsWith("seed 2: stopped after epoch", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Recursive_forecasts_and_chapter_3s_models_are_scored_on_the_same_months()
    {
        foreach (var name in new[] { "chapter3Lookback1Rmse", "chapter3Lookback4Rmse", "recursive12Rmse", "recursive48Rmse" })
            Assert.True(double.IsFinite(_r.Variable<double>(name)) && _r.Variable<double>(name) > 0, name);
        Assert.Equal(41.47, Math.Round(_r.Variable<double>("seasonalNaive12Rmse"), 2));
        Assert.Equal(97.80, Math.Round(_r.Variable<double>("seasonalNaive48Rmse"), 2));
    }

    [Fact]
    public void Every_table_and_chart_is_displayed()
    {
        Assert.Equal(
            ["Plotly chart \"One month ahead: four forecasts without training\" with 5 traces",
             "Plotly chart \"log(passengers): the seasonal swing no longer grows\" with 1 trace",
             "Plotly chart \"Seasonal difference of the log: year-on-year growth\" with 1 trace",
             "Plotly chart \"…and its first difference d(t): what the simple forecasts cannot explain\" with 1 trace",
             $"Plotly chart \"Seed 1: loss per epoch (standardised units); best epoch {_r.Stdout.Split("best epoch ")[1].Split(' ')[0]}\" with 2 traces",
             "Plotly chart \"From the end of 1956: 48 months forecast without seeing them\" with 4 traces",
             "Plotly chart \"One month ahead, 1957–1960: every method against the data\" with 6 traces"],
            Chapter.ChartTitles(_r));
        var tables = _r.Outputs.Where(o => o.Kind == OutputKind.Result && o.Html?.Contains("<table", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(3, tables.Count);   // the benchmarks, the seeds, every method
        Assert.Contains("seasonal naive with this year&#39;s change", tables[2].Html);
    }
}

[Trait("Category", Chapter.TutorialScale)]
public class Chapter06TutorialScaleTests
{
    [Fact]
    public async Task In_the_mean_over_the_seeds_the_LSTM_beats_persistence_the_seasonal_naive_and_the_seasonal_naive_with_change()
    {
        var r = await Chapter.RunAsync("06-baselines-and-transforms.ipynb", new Dictionary<string, object>(), Chapter06Tests.Captured);
        var lstm = r.Variable<double>("lstmRmse");
        Assert.Equal(5, r.Variable<double[]>("seedRmse").Length);
        Assert.True(lstm < r.Variable<double>("naiveRmse"), $"LSTM {lstm} against persistence {r.Variable<double>("naiveRmse")}");
        Assert.True(lstm < r.Variable<double>("seasonalNaiveRmse"), $"LSTM {lstm} against the seasonal naive {r.Variable<double>("seasonalNaiveRmse")}");
        Assert.True(lstm < r.Variable<double>("seasonalChangeRmse"), $"LSTM {lstm} against the seasonal naive with change {r.Variable<double>("seasonalChangeRmse")}");
        Assert.True(r.Variable<double>("chapter3Lookback1Rmse") > r.Variable<double>("naiveRmse"), "chapter 3's model should lose to persistence, as the chapter says");
    }
}
