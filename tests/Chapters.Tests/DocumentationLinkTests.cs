using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Chapters.Tests;

/// <summary>
/// The README and docs/ as a reader follows them: every relative link and image points at a file or folder of the
/// repository, and every <c>#anchor</c> — on the same page or on another Markdown page — at one of that page's
/// headings, by GitHub's rule for heading anchors. Web and mail links are not followed.
/// </summary>
public class DocumentationLinkTests
{
    private static string Root => LstmNotebooks.TestSupport.RepositoryPaths.Root;

    /// <summary>README.md and every docs/*.md, as paths from the repository root.</summary>
    private static List<string> PagePaths()
    {
        var pages = new List<string> { "README.md" };
        var docs = Path.Combine(Root, "docs");
        if (Directory.Exists(docs))
            pages.AddRange(Directory.GetFiles(docs, "*.md").Order(StringComparer.Ordinal).Select(f => "docs/" + Path.GetFileName(f)));
        return pages;
    }

    public static TheoryData<string> Pages() => new(PagePaths());

    [Fact]
    public void The_documentation_is_the_README_and_the_pages_in_docs()
    {
        Assert.True(File.Exists(Path.Combine(Root, "README.md")), "README.md is missing");
        Assert.True(Directory.Exists(Path.Combine(Root, "docs")), "docs/ is missing");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md"));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_and_image_resolves_and_every_anchor_names_a_heading(string page)
    {
        var path = Path.Combine(Root, page);
        var problems = new List<string>();
        foreach (var target in MarkdownLinks.LinkTargets(File.ReadAllText(path)))
            if (Problem(path, target) is { } problem) problems.Add($"({target}): {problem}");
        Assert.True(problems.Count == 0, $"{page} has broken links:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_README_shows_the_two_commands_ci_runs_word_for_word()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        Assert.Contains(".devcontainer/run-in-trixie-rootfs.sh dotnet test LstmNotebooks.sln", readme);
        Assert.Contains(".devcontainer/run-in-trixie-rootfs.sh dotnet run --project lib/NotebookRunner", readme);
    }

    [Fact]
    public void The_generated_benchmark_block_is_in_docs_performance_md_once_and_on_no_other_page()
    {
        const string begin = "<!-- bench/run: begin -->", end = "<!-- bench/run: end -->";
        foreach (var page in PagePaths())
        {
            var text = File.ReadAllText(Path.Combine(Root, page));
            var (begins, ends) = (Occurrences(text, begin), Occurrences(text, end));
            var expected = page == "docs/performance.md" ? 1 : 0;
            Assert.True(begins == expected && ends == expected,
                $"{page}: {begins} begin and {ends} end markers of the benchmark block, expected {expected} of each");
        }
        var performance = File.ReadAllText(Path.Combine(Root, "docs", "performance.md"));
        Assert.True(performance.IndexOf(begin, StringComparison.Ordinal) < performance.IndexOf(end, StringComparison.Ordinal),
            "docs/performance.md: the benchmark block ends before it begins");
    }

    // The checker itself: it must find what GitHub renders as links, and compute the anchors GitHub gives headings.

    [Theory]
    [InlineData("How the runner runs a notebook", "how-the-runner-runs-a-notebook")]
    [InlineData("Code a later chapter reuses: cells marked `// @save`", "code-a-later-chapter-reuses-cells-marked--save")]
    [InlineData("What `bench/run` measures", "what-benchrun-measures")]
    [InlineData("Why not Plotly.NET", "why-not-plotlynet")]
    [InlineData("LSTM Notebooks — LSTMs for time-series prediction in C#", "lstm-notebooks--lstms-for-time-series-prediction-in-c")]
    [InlineData("Threads, MKL_NUM_THREADS and [the policy](x.md)", "threads-mkl_num_threads-and-the-policy")]
    [InlineData("Überblick: Größen", "überblick-größen")]
    public void A_heading_gets_the_anchor_GitHub_gives_it(string heading, string anchor) =>
        Assert.Equal(anchor, MarkdownLinks.Slug(heading));

    [Fact]
    public void A_repeated_heading_gets_a_numbered_anchor_and_code_blocks_hold_no_headings()
    {
        var text = "# Notes\n\n## Setup\n\n```bash\n# not a heading\n```\n\n## Setup\n\nA title\n=======\n\n### Setup ###\n";
        string[] expected = ["notes", "setup", "setup-1", "a-title", "setup-2"];
        Assert.Equal(expected, MarkdownLinks.Anchors(text));
    }

    [Fact]
    public void Links_and_images_are_found_in_prose_tables_and_definitions_but_not_in_code()
    {
        var text = """
            See [the runner](docs/runner.md#the-kernel) and ![a chart](img/chart.png "a title").
            | a | [cell](notebooks/01.ipynb) |
            A [link with `code` in it](<docs/a b.md>), [up](../README.md) and [here](#top).
            `[not a link](inline-code.md)` and ``a `[nested](code.md)` span``.

            ```markdown
            [not a link](fenced-code.md)
            ```

               ~~~
               [not a link either](tilde-fence.md)
               ~~~

            [ref]: docs/reference.md
            <a href="docs/html.md">html</a> and <https://example.com>
            """;
        string[] expected = ["docs/runner.md#the-kernel", "img/chart.png", "notebooks/01.ipynb", "docs/a b.md", "../README.md",
            "#top", "docs/reference.md", "docs/html.md"];
        Assert.Equal(expected, MarkdownLinks.LinkTargets(text));
    }

    [Fact]
    public void A_missing_file_a_wrong_anchor_and_a_path_outside_the_repository_are_reported()
    {
        var readme = Path.Combine(Root, "README.md");
        Assert.Null(Problem(readme, "docs/runner.md"));
        Assert.Null(Problem(readme, "https://example.com/missing.md"));
        Assert.NotNull(Problem(readme, "docs/no-such-page.md"));
        Assert.NotNull(Problem(readme, "docs/runner.md#no-such-heading"));
        Assert.NotNull(Problem(readme, "#no-such-heading-here"));
        Assert.NotNull(Problem(readme, "../outside-the-repository.md"));
    }

    /// <summary>What is wrong with a link from <paramref name="page"/> to <paramref name="target"/>, or null.</summary>
    private static string? Problem(string page, string target)
    {
        if (target.Length == 0) return "an empty link";
        if (Regex.IsMatch(target, "^[A-Za-z][A-Za-z0-9+.-]*:")) return null; // https:, http:, mailto: … are not followed

        var hash = target.IndexOf('#');
        var pathPart = hash < 0 ? target : target[..hash];
        var anchor = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
        var query = pathPart.IndexOf('?');
        if (query >= 0) pathPart = pathPart[..query];

        string file;
        if (pathPart.Length == 0) file = page;
        else
        {
            var relative = Uri.UnescapeDataString(pathPart);
            var from = relative.StartsWith('/') ? Root : Path.GetDirectoryName(page)!;
            file = Path.GetFullPath(Path.Combine(from, relative.TrimStart('/')));
            var root = Path.GetFullPath(Root).TrimEnd(Path.DirectorySeparatorChar);
            if (file != root && !file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return "points outside the repository";
            if (Directory.Exists(file)) return anchor is null ? null : "an anchor on a folder";
            if (!File.Exists(file)) return $"no such file: {Path.GetRelativePath(Root, file)}";
        }

        if (string.IsNullOrEmpty(anchor) || !file.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) return null;
        var anchors = MarkdownLinks.Anchors(File.ReadAllText(file));
        return anchors.Contains(anchor)
            ? null
            : $"no heading with the anchor #{anchor} in {Path.GetRelativePath(Root, file)} (it has: {string.Join(", ", anchors)})";
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}

/// <summary>Just enough of Markdown to check links the way GitHub renders them.</summary>
internal static class MarkdownLinks
{
    private static readonly Regex Fence = new(@"^ {0,3}(`{3,}|~{3,})");
    private static readonly Regex CodeSpan = new(@"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", RegexOptions.Singleline);
    private static readonly Regex InlineLink = new(
        @"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(?:<(?<target>[^<>\n]*)>|(?<target>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))(?:\s+(?:""[^""]*""|'[^']*'|\([^()]*\)))?\s*\)");
    private static readonly Regex Definition = new(@"^ {0,3}\[[^\]]+\]:\s*<?(?<target>[^\s>]+)>?", RegexOptions.Multiline);
    private static readonly Regex HtmlLink = new(@"<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*""(?<target>[^""]*)""", RegexOptions.IgnoreCase);
    private static readonly Regex AtxHeading = new(@"^ {0,3}#{1,6}(?:[ \t]+(?<text>.*?))?(?:[ \t]+#+)?[ \t]*$");
    private static readonly Regex SetextUnderline = new(@"^ {0,3}(?:=+|-+)[ \t]*$");
    private static readonly Regex ExplicitAnchor = new(@"<a\b[^>]*?\b(?:id|name)\s*=\s*""(?<id>[^""]+)""", RegexOptions.IgnoreCase);

    /// <summary>The text outside fenced code blocks, line by line (a fenced line becomes an empty line).</summary>
    private static List<string> ProseLines(string markdown)
    {
        var lines = new List<string>();
        string? fence = null;
        foreach (var line in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            var m = Fence.Match(line);
            if (fence is null && m.Success) { fence = m.Groups[1].Value; lines.Add(""); continue; }
            if (fence is not null)
            {
                if (m.Success && m.Groups[1].Value[0] == fence[0] && m.Groups[1].Value.Length >= fence.Length
                    && line.Trim().Trim(fence[0]).Length == 0)
                    fence = null;
                lines.Add("");
                continue;
            }
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>Every link, image, reference definition and HTML href/src target, in order, outside code.</summary>
    public static List<string> LinkTargets(string markdown)
    {
        var prose = CodeSpan.Replace(string.Join("\n", ProseLines(markdown)), "");
        return InlineLink.Matches(prose).Select(m => (m.Index, m.Groups["target"].Value))
            .Concat(Definition.Matches(prose).Select(m => (m.Index, m.Groups["target"].Value)))
            .Concat(HtmlLink.Matches(prose).Select(m => (m.Index, m.Groups["target"].Value)))
            .OrderBy(t => t.Index)
            .Select(t => t.Value)
            .ToList();
    }

    /// <summary>The anchors of a page's headings as GitHub makes them (a repeated one numbered -1, -2, …), and any
    /// explicit <c>&lt;a id="…"&gt;</c>.</summary>
    public static List<string> Anchors(string markdown)
    {
        var anchors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(string heading)
        {
            var slug = Slug(heading);
            if (seen.TryGetValue(slug, out var count))
            {
                seen[slug] = count + 1;
                slug = $"{slug}-{count + 1}";
            }
            else seen[slug] = 0;
            anchors.Add(slug);
        }

        var lines = ProseLines(markdown);
        for (var i = 0; i < lines.Count; i++)
        {
            var atx = AtxHeading.Match(lines[i]);
            if (atx.Success) Add(atx.Groups["text"].Value);
            else if (i > 0 && SetextUnderline.IsMatch(lines[i]) && lines[i - 1].Trim().Length > 0
                     && !AtxHeading.IsMatch(lines[i - 1]) && !lines[i - 1].TrimStart().StartsWith('|'))
                Add(lines[i - 1].Trim());
            foreach (Match explicitAnchor in ExplicitAnchor.Matches(lines[i]))
                anchors.Add(explicitAnchor.Groups["id"].Value);
        }
        return anchors;
    }

    /// <summary>
    /// GitHub's anchor for a heading: the text as rendered (a link's text, no HTML tags), lower-cased; letters, digits,
    /// marks, hyphens and underscores kept, each space made a hyphen, everything else dropped.
    /// </summary>
    public static string Slug(string heading)
    {
        var text = Regex.Replace(heading, @"!?\[([^\]]*)\]\([^)]*\)", "$1"); // [text](url) → text
        text = Regex.Replace(text, "<[^>]+>", "");                           // HTML tags
        var slug = new StringBuilder();
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (c == ' ') slug.Append('-');
            else if (c is '-' or '_') slug.Append(c);
            else if (char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
                     or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                     or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                     or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber)
                slug.Append(c);
        }
        return slug.ToString();
    }
}
