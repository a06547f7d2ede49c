namespace Chapters.Tests;

/// <summary>The same seed gives bit-identical results across processes (each run is a new kernel process).</summary>
public class DeterminismTests
{
    [Fact]
    public async Task Two_runs_of_a_chapter_in_separate_processes_give_bit_identical_losses()
    {
        var parameters = new Dictionary<string, object> { ["epochs"] = 12, ["reportEvery"] = 4 };
        var first = await Chapter.RunAsync("03-airline-windowing.ipynb", parameters, "lookback1", "lookback4");
        var second = await Chapter.RunAsync("03-airline-windowing.ipynb", parameters, "lookback1", "lookback4");
        foreach (var name in new[] { "lookback1", "lookback4" })
        {
            var (a, b) = (first.Variable<Chapter03Experiment>(name), second.Variable<Chapter03Experiment>(name));
            Assert.Equal(a.TestRmse, b.TestRmse);
            Assert.Equal(a.TestPredictions, b.TestPredictions);
        }
    }
}
