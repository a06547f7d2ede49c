using NotebookRunner.Document;
using NotebookRunner.Output;

namespace Chapters.Tests;

/// <summary>
/// One source for the code later chapters reuse: the helper library's <c>lib/LstmNotebooks/Chapters/</c> is exactly the
/// extraction of the chapters' cells marked <c>// @save</c> (and the library compiles it), so chapter 5 runs chapter 4's
/// code and chapter 6 chapter 3's, never a re-typed copy.
/// </summary>
public class SavedCodeTests
{
    public const string Namespace = "LstmNotebooks.Chapters";
    private static string SavedDirectory => Path.Combine(Chapter.RepositoryRoot, "lib", "LstmNotebooks", "Chapters");

    private static Dictionary<string, string> Exports() =>
        Chapter.All
            .Select(path => (path, code: SavedCodeExporter.Export(NotebookReader.Read(path), Namespace, "notebooks/" + Path.GetFileName(path))))
            .Where(x => x.code is not null)
            .ToDictionary(x => SavedCodeExporter.ClassName(x.path) + ".cs", x => x.code!);

    [Fact]
    public void The_librarys_chapter_code_is_the_export_of_the_chapters_saved_cells()
    {
        var exports = Exports();
        var committed = Directory.GetFiles(SavedDirectory, "*.cs").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        Assert.Equal(exports.Keys.Order(StringComparer.Ordinal), committed.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, code) in exports)
            Assert.True(code == committed[file],
                $"lib/LstmNotebooks/Chapters/{file} differs from the chapter's cells marked // @save; regenerate it with: "
                + $"dotnet run --project lib/NotebookRunner -- --export-saved lib/LstmNotebooks/Chapters --namespace {Namespace}");
    }

    [Fact]
    public void Chapters_1_3_and_4_save_what_chapters_5_and_6_call()
    {
        var exports = Exports();
        Assert.Contains("public static class MinutesData", exports["Chapter01.cs"]);
        Assert.Contains("public static (Tensor Features, Tensor Targets) CreateWindows(float[] series, int lookback)", exports["Chapter03.cs"]);
        Assert.Contains("public class AirModel : nn.Module<Tensor, Tensor>", exports["Chapter03.cs"]);
        Assert.Contains("public static void TrainEpoch(", exports["Chapter03.cs"]);
        Assert.Contains("public static WaveSet ShiftedWaves(int count, int length, int period, int seed, Func<double, double> shape)", exports["Chapter04.cs"]);
        Assert.Contains("public class Sequence : nn.Module<Tensor, int, Tensor>", exports["Chapter04.cs"]);
        Assert.Contains("public static int LbfgsStep(LBFGS optimizer, Func<Tensor> computeLoss)", exports["Chapter04.cs"]);
        Assert.Contains("public static int? EstimatePeriod(IReadOnlyList<float[]> series)", exports["Chapter04.cs"]);
        Assert.Contains("public static BenchmarkComparison[] CompareWithBenchmarks(float[][] series, int read, int horizon, int? period, double lstmTestLoss, float[][] lstmOutputs)", exports["Chapter04.cs"]);
        foreach (var (chapter, saved) in new[] { ("05-automated-shape-inference.ipynb", "Chapter01"), ("05-automated-shape-inference.ipynb", "Chapter04"), ("06-baselines-and-transforms.ipynb", "Chapter03") })
            Assert.Contains($"using static {Namespace}.{saved};", NotebookReader.Read(Chapter.PathOf(chapter)).CodeCells.First().Source);
    }
}
