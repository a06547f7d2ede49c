using LstmNotebooks.Benchmarks;

namespace Benchmarks.Tests;

public class FloorTableTests
{
    private static ChapterTiming Timing(int number, double ours, double pytorch, params double[] appRuns) =>
        new(ChapterCase.All[number - 1], ours, ours, pytorch, pytorch, 100, "2.6", [], [], [ours], [pytorch], appRuns);

    private static BenchReport Report(double leastNotebookMinMs)
    {
        var report = new BenchReport
        {
            Machine = "test machine", Scale = "test scale",
            LeastNotebook = (new Measurement("least notebook", "process", leastNotebookMinMs + 100, leastNotebookMinMs, leastNotebookMinMs + 300, 5),
                new Measurement("least script", "process", 2100, 2000, 2200, 5)),
        };
        report.Chapters.AddRange([
            Timing(1, 30, 75, 29, 28),       // meets
            Timing(2, 2.0, 2.1, 0.7),        // the least notebook (1.2 s) is 0.57x of PyTorch's 2.1 s: above the target
            Timing(3, 35, 50, 31),           // the app alone is 0.62x: above
            Timing(4, 150, 155, 140),
            Timing(5, 100, 140, 95),
            Timing(6, 30, 45, 20),           // app 0.44x, least notebook 0.03x: the floor is below the target
        ]);
        return report;
    }

    [Fact]
    public void The_floor_is_the_larger_of_the_apps_ratio_and_the_least_notebooks()
    {
        var markdown = Report(leastNotebookMinMs: 1200).Markdown();

        Assert.Contains("| 1 | 30 s | 75 s | 0.40× | 28 s | 0.37× | 1.2 s | 0.02× | — | 0.37× | meets |", markdown);
        Assert.Contains("| 2 | 2.0 s | 2.1 s | 0.95× | 0.7 s | 0.33× | 1.2 s | 0.57× | — | 0.57× | misses; floor above it |", markdown);
        Assert.Contains("| 3 | 35 s | 50 s | 0.70× | 31 s | 0.62× | 1.2 s | 0.02× | — | 0.62× | misses; floor above it |", markdown);
        Assert.Contains("| 6 | 30 s | 45 s | 0.67× | 20 s | 0.44× | 1.2 s | 0.03× | — | 0.44× | misses; floor below it |", markdown);
        // The whole course: its chapters' floors in seconds (28 + 1.2 + 31 + 140 + 95 + 20) over its PyTorch time;
        // every chapter is a notebook of its own, and each pays the least notebook.
        Assert.Contains("| **whole course** | 347 s | 467 s | 0.74× | — | — | 7.2 s | 0.02× | — | 0.67× | misses; floor above it |", markdown);
        Assert.Contains("1200 ms at its fastest of 5 (Python starting and importing torch: 2000 ms)", markdown);
    }

    [Fact]
    public void Without_the_runners_measurements_the_floor_is_the_apps()
    {
        var report = Report(leastNotebookMinMs: 1200);
        var withoutLeast = new BenchReport { Machine = report.Machine, Scale = report.Scale };
        withoutLeast.Chapters.AddRange(report.Chapters);

        var markdown = withoutLeast.Markdown();

        Assert.Contains("| 2 | 2.0 s | 2.1 s | 0.95× | 0.7 s | 0.33× | — | — | — | 0.33× | misses; floor below it |", markdown);
        Assert.DoesNotContain("*The least notebook*", markdown);
    }

    [Fact]
    public void An_app_slower_than_the_notebook_gives_no_floor()
    {
        var report = new BenchReport { Machine = "test machine", Scale = "test scale" };
        report.Chapters.Add(Timing(4, 130, 180, 230, 205));   // the app's fastest run is slower than the notebook's: noise

        var markdown = report.Markdown();

        Assert.Contains("| 4 | 130 s | 180 s | 0.72× | 205 s | (1.14×) | — | — | — | — | misses; no floor measured |", markdown);
    }

    private static CpuProfile Profile(double cpu, double libtorch, double torchSharp = 0) =>
        new(cpu, cpu, new Dictionary<string, double> { [CodeKinds.Libtorch] = libtorch, [CodeKinds.TorchSharpDotNet] = torchSharp, [CodeKinds.Runtime] = cpu - libtorch - torchSharp },
            0, [("libtorch_cpu.so", libtorch)]);

    [Fact]
    public void A_profiled_chapters_floor_counts_and_the_courses_floor_adds_up_its_chapters()
    {
        var report = Report(leastNotebookMinMs: 1200);
        // Chapter 4's app ran slower than its notebook (no floor from it); its profile: libtorch and TorchSharp
        // 135 s + 5 s of our CPU against PyTorch's 150 s.
        report.Chapters[3] = Timing(4, 150, 155, 170);
        report.Profiles.Add(ChapterProfile.LeastDisturbed(ChapterCase.All[3], [Profile(150, 135, 5)], [Profile(150, 140)]));

        var markdown = report.Markdown();

        Assert.Contains("| 4 | 150 s | 155 s | 0.97× | 170 s | (1.10×) | 1.2 s | 0.01× | 0.93× | 0.93× | misses; floor above it |", markdown);
        // 28 + 1.2 + 31 + 0.9333 × 155 + 95 + 20 = 319.9 s of 467 s.
        Assert.Contains("| **whole course** | 347 s | 467 s | 0.74× | — | — | 7.2 s | 0.02× | — | 0.68× | misses; floor above it |", markdown);
        Assert.Contains("*Profile*:", markdown);
    }

    [Fact]
    public void A_runs_results_json_gives_back_the_same_tables()
    {
        var report = Report(leastNotebookMinMs: 1234.5);
        report.Chapters[3] = Timing(4, 150.25, 155.125, 170, 160) with
        {
            Sections = [new SectionTiming("training", 140.5, 149.75, new LbfgsWork([20, 20, 17], 2.4e-5), new LbfgsWork([20, 19, 20], 4.5e-5))],
        };
        report.Runner.Add(new Measurement("kernel: start until ready", "notebook", 1305.3, 1199.9, 1430.1, 5, "a fresh kernel"));
        report.Profiles.Add(ChapterProfile.LeastDisturbed(ChapterCase.All[3], [Profile(152, 135.5, 5.25), Profile(170, 140)], [Profile(150.5, 140)]));

        var again = BenchReport.FromJson(report.Json(), "results.json");

        Assert.Equal(report.Markdown(), again.Markdown());
        Assert.Equal(report.Json(), again.Json());
    }

    [Fact]
    public void A_file_that_is_not_a_runs_results_names_itself_and_what_is_wrong()
    {
        var e = Assert.Throws<InvalidDataException>(() => BenchReport.FromJson("{ \"Machine\": \"m\", \"Scale\": \"s\" }", "artifacts/bench/results.json"));
        Assert.Contains("artifacts/bench/results.json", e.Message);
        Assert.Contains("'Chapters' is missing", e.Message);
        Assert.Throws<InvalidDataException>(() => BenchReport.FromJson("[1, 2]", "x.json"));
        Assert.Throws<InvalidDataException>(() => BenchReport.FromJson("{ not json", "x.json"));
    }

    [Fact]
    public void A_chapters_app_time_is_its_fastest_run() =>
        Assert.Equal(28, Timing(1, 30, 75, 29, 28, 31).AppSeconds);
}
