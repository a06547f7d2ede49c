using LstmNotebooks.Data;
using LstmNotebooks.Runtime;
using LstmNotebooks.Training;

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


}
