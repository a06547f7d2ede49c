namespace Chapters.Tests;

/// <summary>The same seed gives bit-identical results across processes (each run is a new kernel process).</summary>
public class DeterminismTests
{
    [Fact]
    public async Task Two_runs_of_a_chapter_in_separate_processes_give_bit_identical_losses()
    {
        var parameters = new Dictionary<string, object> { ["epochs"] = 12, ["reportEvery"] = 4 };
        var first = await Chapter.RunAsync("03-airline-windowing.ipynb", parameters, "testRmse1", "testRmse4");
        var second = await Chapter.RunAsync("03-airline-windowing.ipynb", parameters, "testRmse1", "testRmse4");
        Assert.Equal(first.Variable<double[]>("testRmse1"), second.Variable<double[]>("testRmse1"));
        Assert.Equal(first.Variable<double[]>("testRmse4"), second.Variable<double[]>("testRmse4"));
    }
}
