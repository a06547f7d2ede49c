using LstmNotebooks.Benchmarks;
using LstmNotebooks.TestSupport;

namespace Benchmarks.Tests;

/// <summary>The report's words come from bench/report-template.md, filled with a run's numbers.</summary>
public class ReportTemplateTests
{
    private static CpuProfile Profile(double cpu, double libtorch, double torchSharp = 0) =>
        new(cpu, cpu, new Dictionary<string, double> { [CodeKinds.Libtorch] = libtorch, [CodeKinds.TorchSharpDotNet] = torchSharp, [CodeKinds.Runtime] = cpu - libtorch - torchSharp },
            libtorch * 0.1, [("libtorch_cpu.so", libtorch)]);

    /// <summary>A run with every part of the report: all chapters twice, an L-BFGS section, a profile, the runner's costs.</summary>
    private static BenchReport FullReport()
    {
        var report = new BenchReport
        {
            Machine = "a test machine", Scale = "a test scale",
            LeastNotebook = (new Measurement("least notebook", "process", 1300, 1200, 1500, 5), new Measurement("least script", "process", 2100, 2000, 2200, 5)),
        };
        foreach (var c in ChapterCase.All)
        {
            var n = c.Number;
            IReadOnlyList<SectionTiming> sections = n == 4
                ? [new SectionTiming("L-BFGS steps", 20, 30, new LbfgsWork([20, 19], 1e-4), new LbfgsWork([20, 20], 9e-5))]
                : [new SectionTiming("training", 15 + n, 20 + n)];
            report.Chapters.Add(new ChapterTiming(c, 30 + n, 29 + n, 40 + 2 * n, 39 + 2 * n, 100, "2.6", sections, [],
                [31 + n, 30 + n], [41 + 2 * n, 40 + 2 * n], [20 + n, 25 + n]));
        }
        report.Profiles.Add(ChapterProfile.LeastDisturbed(ChapterCase.All[3], [Profile(40, 30, 2), Profile(45, 31)], [Profile(50, 40), Profile(55, 40)]));
        report.Runner.Add(new Measurement("kernel: start until ready", "notebook", 1305.3, 1199.9, 1430.1, 5, "a fresh kernel"));
        return report;
    }

    [Fact]
    public void The_report_is_the_templates_words_with_the_runs_numbers()
    {
        var markdown = FullReport().Markdown();

        Assert.StartsWith("Measured by `bench/run` on a test machine; a test scale.\n\n", markdown);
        Assert.Contains("one after the other, same machine; each side 2 times, taking turns (with the chapter's app, below), and its fastest run kept (every run in the last table of this block).\n", markdown);
        Assert.Contains("| 4 `04-sine-wave-lstmcell-lbfgs` | 34 s | 48 s | 0.71× | misses | 33 s | 47 s | 0.70× |\n", markdown);
        Assert.Contains("1200 ms at its fastest of 5 (Python starting and importing torch: 2000 ms); every notebook pays it", markdown);
        Assert.Contains("| 4: L-BFGS steps | 39 (20 19) | 40 (20 20) | 0.0001 | 9E-05 | 513 ms | 750 ms | 0.68× |\n", markdown);
        Assert.Contains("each side run 2 more times under `perf record`, taking turns, and its run with the least CPU time kept (every profiled run in the last table of this block; cpu-clock samples", markdown);
        Assert.Contains("| kernel: start until ready | 1305 ms | 1200 ms | 1430 ms | a fresh kernel |", markdown);
        Assert.DoesNotContain("{{", markdown);
        Assert.DoesNotContain("<!--", markdown);
    }

    [Fact]
    public void Every_paragraph_is_one_line_and_every_table_a_header_a_separator_and_its_rows()
    {
        var blocks = FullReport().Markdown().TrimEnd('\n').Split("\n\n");

        Assert.All(blocks, block =>
        {
            var lines = block.Split('\n');
            if (!lines[0].StartsWith('|'))
            {
                Assert.True(lines.Length == 1, $"a paragraph of several lines:\n{block}");
                return;
            }
            Assert.All(lines, l => Assert.True(l.StartsWith('|') && l.EndsWith('|'), $"not a table row: {l}"));
            Assert.StartsWith("|---", lines[1]);
            Assert.True(lines.Length > 2, $"a table without rows:\n{block}");
            Assert.All(lines, l => Assert.Equal(lines[0].Count(ch => ch == '|'), l.Count(ch => ch == '|')));
        });
        Assert.Equal(7, blocks.Count(b => b.StartsWith('|')));
    }

    [Fact]
    public void The_template_is_bench_report_template_md()
    {
        var file = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "bench", ReportTemplate.FileName)).ReplaceLineEndings("\n");
        Assert.Equal(file, ReportTemplate.Text);
    }

    [Fact]
    public void Sections_are_kept_or_dropped_by_their_value_and_a_paragraphs_lines_are_joined()
    {
        const string template = """
            <!-- a note for whoever edits the template -->
            Measured on {{machine}}{{#repeated}}, each side
            {{runs}} times{{/repeated}}.
            {{#profiles}}

            Profiled too.
            {{/profiles}}
            {{^profiles}}

            Not profiled.
            {{/profiles}}

            | a | b |
            |---|---|
            {{rows}}
            """;
        var values = new Dictionary<string, object> { ["machine"] = "m", ["repeated"] = true, ["runs"] = "3", ["profiles"] = false, ["rows"] = "| 1 | 2 |\n| 3 | 4 |" };

        Assert.Equal("Measured on m, each side 3 times.\n\nNot profiled.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n", ReportTemplate.Render(template, values));
        values["repeated"] = false;
        values["profiles"] = true;
        Assert.Equal("Measured on m.\n\nProfiled too.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n", ReportTemplate.Render(template, values));
    }

    [Fact]
    public void A_name_the_values_lack_is_an_error_that_names_it()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => ReportTemplate.Render("On {{machine}}.", new Dictionary<string, object>()));
        Assert.Contains("{{machine}}", e.Message);
        var s = Assert.Throws<KeyNotFoundException>(() => ReportTemplate.Render("{{#profiles}}x{{/profiles}}", new Dictionary<string, object> { ["profiles"] = "yes" }));
        Assert.Contains("{{#profiles}}", s.Message);
        Assert.Throws<FormatException>(() => ReportTemplate.Render("{{#profiles}}never closed", new Dictionary<string, object> { ["profiles"] = true }));
    }
}
