using LstmNotebooks.Data;
using LstmNotebooks.Models;
using LstmNotebooks.Runtime;
using LstmNotebooks.Training;
using LstmNotebooks.Windowing;

namespace LstmNotebooks.Tests;

public class AirlineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("airline-").FullName;

    public AirlineTests() => TorchRuntime.EnsureAvailable();
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RepoData => Path.Combine(TestSupport.RepositoryPaths.Root, "data", "airline-passengers.csv");


    private string Csv(string text)
    {
        var path = Path.Combine(_dir, "series.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_shipped_series_has_144_months_from_1949_to_1960()
    {
        var s = AirlinePassengers.Load(RepoData);
        Assert.Equal(144, s.Count);
        Assert.Equal(("1949-01", 112f), (s.Months[0], s.Values[0]));
        Assert.Equal(("1960-12", 432f), (s.Months[^1], s.Values[^1]));
        var frame = s.ToDataFrame();
        Assert.Equal(144, frame.Rows.Count);
        Assert.Equal(["Month", "Passengers"], frame.Columns.Select(c => c.Name));
    }

    [Theory]
    [InlineData("\"Month\",\"Passengers\"\n\"1949-01\",112\n\"1949-02\",abc\n", "line 3, column 2 (\"Passengers\"): 'abc' is not a number")]
    [InlineData("\"Month\",\"Passengers\"\n\"1949-01\",112\n\"1949-02\",\n", "line 3, column 2 (\"Passengers\"): the value is missing")]
    [InlineData("\"Month\",\"Passengers\"\n\"1949-01\",112\n\"1949-02\",-5\n", "line 3, column 2 (\"Passengers\"): -5 is negative")]
    [InlineData("\"Month\",\"Passengers\"\n\"1949-01\",112\n\"1949-02\"\n", "line 3, column 2 (\"Passengers\"): expected 2 fields, found 1")]
    [InlineData("\"Month\",\"Passengers\"\n\"1949-01\",112,7\n", "line 2, column 3 (\"(extra)\"): expected 2 fields, found 3")]
    [InlineData("\"Month\",\"Passengers\"\n\"1949-01\",112\n\"1949-03\",118\n", "line 3, column 1 (\"Month\"): 1949-03 does not follow 1949-01")]
    [InlineData("\"Month\",\"Passengers\"\nJan 1949,112\n", "line 2, column 1 (\"Month\"): 'Jan 1949' is not a month")]
    [InlineData("\"Date\",\"Count\"\n\"1949-01\",112\n", "line 1, column 1 (\"header\"): expected the header \"Month\",\"Passengers\", found \"Date\",\"Count\"")]
    [InlineData("", "the file is empty")]
    [InlineData("\n\n", "the file is empty")]
    [InlineData("\"Month\",\"Passengers\"\n\"1949-01\",112\n", "only 1 month(s) of data")]
    public void A_bad_csv_names_the_file_line_and_column(string content, string expected)
    {
        var path = Csv(content);
        var e = Assert.Throws<DataFileException>(() => AirlinePassengers.Load(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<DataFileException>(() => AirlinePassengers.Load(Path.Combine(_dir, "nope.csv")));
        Assert.Contains("nope.csv: file not found", e.Message);
    }

    [Fact]
    public void Windows_are_the_series_and_the_series_shifted_by_one()
    {
        float[] series = [10, 11, 12, 13, 14, 15];
        using var w = WindowedDataset.Create(series, lookback: 2);
        Assert.Equal(new long[] { 4, 2, 1 }, w.Features.shape);
        Assert.Equal(new long[] { 4, 2, 1 }, w.Targets.shape);
        Assert.Equal([10, 11, 11, 12, 12, 13, 13, 14], w.Features.data<float>().ToArray());
        Assert.Equal([11, 12, 12, 13, 13, 14, 14, 15], w.Targets.data<float>().ToArray());
    }

    [Fact]
    public void Lookback_1_gives_the_chapters_shapes()
    {
        var (train, test) = ChronologicalSplit.Split(AirlinePassengers.Load(RepoData).Values, 0.67);
        Assert.Equal((96, 48), (train.Length, test.Length));
        using var tr = WindowedDataset.Create(train, 1);
        using var te = WindowedDataset.Create(test, 1);
        Assert.Equal(new long[] { 95, 1, 1 }, tr.Features.shape);
        Assert.Equal(new long[] { 47, 1, 1 }, te.Features.shape);
    }

    [Theory]
    [InlineData(0, "at least 1")]
    [InlineData(-2, "at least 1")]
    [InlineData(6, "less than the series length (6)")]
    [InlineData(9, "less than the series length (6)")]
    public void A_bad_lookback_is_explained(int lookback, string expected)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => WindowedDataset.Create(new float[6], lookback));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Windowing_takes_a_1D_or_column_tensor_and_rejects_other_ranks()
    {
        using var scope = NewDisposeScope();
        using (var w = WindowedDataset.FromTensor(arange(6, dtype: float32).reshape(6, 1), 2))
            Assert.Equal(new long[] { 4, 2, 1 }, w.Features.shape);
        var e = Assert.Throws<ArgumentException>(() => WindowedDataset.FromTensor(zeros(2, 3, 1), 1));
        Assert.Contains("[2, 3, 1]", e.Message);
    }

    [Fact]
    public void The_epoch_shuffler_draws_a_new_reproducible_permutation_every_epoch()
    {
        var a = new EpochShuffler(20, seed: 3);
        var b = new EpochShuffler(20, seed: 3);
        var a1 = a.ToArray(); var a2 = a.ToArray();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), a1.Order());
        Assert.NotEqual(a1, a2);
        Assert.Equal(a1, b.ToArray());
        Assert.Equal(a2, b.ToArray());
    }

    [Fact]
    public void The_air_model_maps_windows_to_windows()
    {
        using var scope = NewDisposeScope();
        using var model = new AirModel(50);
        Assert.Equal(new long[] { 8, 4, 1 }, model.call(zeros(8, 4, 1)).shape);
    }

    [Fact]
    public void Adam_mini_batches_lower_the_test_rmse_and_reject_bad_arguments()
    {
        using var scope = NewDisposeScope();
        var series = Enumerable.Range(0, 60).Select(i => (float)Math.Sin(i / 4.0)).ToArray();
        using var trainW = WindowedDataset.Create(series[..40], 4);
        using var testW = WindowedDataset.Create(series[40..], 4);
        manual_seed(2);
        using var model = new AirModel(16);
        var trainer = new AdamMiniBatchTrainer(model, batchSize: 8, shuffleSeed: 2, learningRate: 0.01);
        var reports = trainer.Train(trainW.Features, trainW.Targets, testW.Features, testW.Targets, epochs: 40, reportEvery: 20);
        Assert.Equal([0, 20, 40], reports.Select(r => r.Epoch));
        Assert.True(reports[^1].TestRmse < reports[0].TestRmse);

        Assert.Contains("larger than the training data", Assert.Throws<ArgumentException>(() =>
            new AdamMiniBatchTrainer(model, batchSize: 100).Train(trainW.Features, trainW.Targets, testW.Features, testW.Targets, 1)).Message);
        Assert.Contains("same shape", Assert.Throws<ArgumentException>(() =>
            trainer.Train(trainW.Features, trainW.Targets[.., ..2, ..], testW.Features, testW.Targets, 1)).Message);
    }
}
