using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using NotebookRunner.Document;
using NotebookRunner.Host;

namespace Chapters.Tests;

/// <summary>
/// Every number a chapter's prose quotes is printed by one of its cells: run at tutorial scale (the numbers the prose
/// is written against), each quoted number — a decimal, a percentage or a ratio, or a number after "about" — must be
/// within one unit of its last digit of a number in the chapter's outputs, or be one of the chapter's own settings
/// (written in a code cell). Numbers in formulas, code spans and links are not quotes; the few quotes of other sources
/// are listed below with where they come from.
/// </summary>
[Trait("Category", Chapter.TutorialScale)]
public partial class ProseNumberTests
{
    /// <summary>Quotes of other sources, not of the chapter's outputs: (chapter file prefix, number) → the source.</summary>
    private static readonly Dictionary<(string Chapter, string Number), string> Citations = new()
    {
        [("03", "0.001")] = "optim.Adam's default learning rate in TorchSharp 0.107's source (lr = 1e-3)",
        [("04", "0.8")] = "the learning rate of PyTorch's time-sequence-prediction example",
        [("06", "95")] = "the share of a white-noise series' autocorrelations inside ±2/√n (Bartlett's approximation)",
    };

    public static TheoryData<string> Chapters() => [.. Chapter.All.Select(p => Path.GetFileName(p))];

    [Theory]
    [MemberData(nameof(Chapters))]
    public async Task Every_number_the_prose_quotes_is_printed_by_a_cell_of_the_chapter(string fileName)
    {
        var run = await Chapter.RunAsync(fileName, new Dictionary<string, object>());
        var printed = NumbersIn(OutputText(run)).ToList();
        var notebook = NotebookReader.Read(Chapter.PathOf(fileName));
        var settings = NumbersIn(string.Join("\n", notebook.CodeCells.Select(c => c.Source))).ToList();

        var unprinted = new List<string>();
        foreach (var (cell, index) in notebook.Cells.Select((c, i) => (c, i)).Where(c => c.c.Kind == CellKind.Markdown))
            foreach (var quote in Quotes(cell.Source))
            {
                var tolerance = Math.Pow(10, -quote.Decimals);
                bool Near(double n) => Math.Abs(n - quote.Value) < tolerance;
                if (printed.Any(Near) || settings.Any(Near) || (quote.IsPercent && settings.Any(s => Math.Abs(s * 100 - quote.Value) < 1e-9))) continue;
                if (Citations.ContainsKey((fileName[..2], quote.Text))) continue;
                unprinted.Add($"cell {index}: {quote.Text} in \"…{quote.Context}…\"");
            }
        Assert.True(unprinted.Count == 0, $"{fileName}: the prose quotes numbers no cell prints:\n" + string.Join("\n", unprinted));
    }

    internal sealed record Quote(string Text, double Value, int Decimals, bool IsPercent, string Context);

    /// <summary>The numbers a Markdown text quotes: decimals, percentages, ratios (×) and numbers after "about", outside
    /// formulas ($…$), code spans and link targets; a version after "TorchSharp" or "PyTorch" is not a quote.</summary>
    internal static IEnumerable<Quote> Quotes(string markdown)
    {
        var text = DisplayMath().Replace(markdown, " ");
        text = InlineMath().Replace(text, " ");
        text = CodeSpan().Replace(text, " ");
        text = LinkTarget().Replace(text, "]");
        foreach (Match m in QuotedNumber().Matches(text))
        {
            var number = m.Groups["n"].Value;
            var before = text[..m.Index];
            if (Regex.IsMatch(before, @"(TorchSharp|PyTorch|\.NET|SDK)\s*$")) continue;
            var decimals = number.Contains('.') ? number.Length - number.IndexOf('.') - 1 : 0;
            var isPercent = m.Value.TrimEnd().EndsWith('%');
            var isRatio = m.Value.Contains('×');
            if (decimals == 0 && !isPercent && !isRatio && !m.Groups["about"].Success) continue;
            var context = text[Math.Max(0, m.Index - 40)..Math.Min(text.Length, m.Index + m.Length + 20)].ReplaceLineEndings(" ");
            yield return new Quote(number, double.Parse(number.Replace(",", ""), CultureInfo.InvariantCulture), decimals, isPercent, context);
        }
    }

    internal static IEnumerable<double> NumbersIn(string text) =>
        PrintedNumber().Matches(text.Replace('−', '-')).Select(m => double.Parse(m.Value.Replace(",", ""), CultureInfo.InvariantCulture));

    private static string OutputText(NotebookRunResult run) =>
        string.Join("\n", run.Outputs.Select(o => o.PlainText ?? (o.Html is null ? "" : WebUtility.HtmlDecode(Tag().Replace(o.Html, " ")))))
        + "\n" + run.Stdout;

    [GeneratedRegex(@"\$\$.*?\$\$", RegexOptions.Singleline)] private static partial Regex DisplayMath();
    [GeneratedRegex(@"\$[^$\n]*\$")] private static partial Regex InlineMath();
    [GeneratedRegex(@"`[^`]*`")] private static partial Regex CodeSpan();
    [GeneratedRegex(@"\]\([^)]*\)")] private static partial Regex LinkTarget();
    [GeneratedRegex(@"(?:(?<about>about|roughly|around|nearly|almost|≈)\s+)?(?<![\w.])(?<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w.]*\d)(?:\s*(?:%|×))?")] private static partial Regex QuotedNumber();
    [GeneratedRegex(@"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?(?:E[-+]?\d+)?")] private static partial Regex PrintedNumber();
    [GeneratedRegex(@"<[^>]+>")] private static partial Regex Tag();
}

/// <summary>The quote finder itself, on small texts (default suite).</summary>
public class ProseNumberQuoteTests
{
    [Fact]
    public void Decimals_percentages_ratios_and_numbers_after_about_are_quotes_and_formulas_code_and_versions_are_not()
    {
        var quotes = ProseNumberTests.Quotes(
            "The loss is 0.25, about 48 thousand, 67 % of months, × 5.3 or 5.3 ×; chapter 3 has 12 months. " +
            "$d_t = 0.5$ and `lr = 0.08` and [a](b/1.5.md) and TorchSharp 0.107 are not.").Select(q => q.Text).ToList();
        Assert.Equal(["0.25", "48", "67", "5.3", "5.3"], quotes);
    }

    [Fact]
    public void Printed_numbers_are_read_with_thousands_separators_signs_and_exponents()
    {
        Assert.Equal([1234.5, -0.32, 8.38e-4, 2000], ProseNumberTests.NumbersIn("1,234.5 and −0.32, 8.38E-004; epoch 2,000"));
    }
}
