using Microsoft.Playwright;
using NotebookRunner.Cli;

namespace Chapters.Tests;

/// <summary>The whole course as an HTML book, built at quick scale by the runner's command line into artifacts/.</summary>
public sealed class QuickBook : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Chapter.RepositoryRoot, "artifacts", "test-book");
    public string ScreenshotDirectory { get; } = Path.Combine(Chapter.RepositoryRoot, "artifacts", "screenshots");
    public int ExitCode { get; private set; }
    public string Output { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        var output = new StringWriter();
        ExitCode = await RunnerCli.RunAsync(
            [Chapter.NotebooksDirectory, "--out", Directory, "--params-file", Path.Combine(Chapter.RepositoryRoot, "tests", "quick-parameters.json")],
            output, output);
        Output = output.ToString();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// Opens every page of the book in headless Chromium (the system's, driven by Playwright with an explicit executable
/// path: nothing is downloaded) and checks what a reader would see.
/// </summary>
public class BookTests(QuickBook book) : IClassFixture<QuickBook>
{
    [Fact]
    public void The_run_command_builds_every_chapter_into_the_book()
    {
        Assert.True(book.ExitCode == RunnerCli.Passed, book.Output);
        foreach (var chapter in Chapter.All.Select(Path.GetFileNameWithoutExtension))
        {
            Assert.True(File.Exists(Path.Combine(book.Directory, chapter + ".html")), chapter);
            Assert.True(File.Exists(Path.Combine(book.Directory, chapter + ".ipynb")), chapter);
        }
        Assert.True(File.Exists(Path.Combine(book.Directory, "index.html")));
    }

    [Fact]
    public async Task Every_page_renders_its_charts_and_equations_offline_without_errors()
    {
        await using var session = await BrowserSession.StartAsync();
        System.IO.Directory.CreateDirectory(book.ScreenshotDirectory);
        var pages = System.IO.Directory.GetFiles(book.Directory, "*.html").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Chapter.All.Count() + 1, pages.Count);

        foreach (var file in pages)
        {
            var name = Path.GetFileName(file);
            var visit = await session.VisitAsync(file);

            // Wait for the page's own end state rather than a fixed time: the document complete, every chart container
            // holding a drawn plot (plotly adds several svg.main-svg layers per plot), every equation typeset, every image loaded.
            var settled = await visit.Page.EvaluateAsync<bool>("""
                () => new Promise(resolve => {
                  const done = () => document.readyState === 'complete'
                    && [...document.querySelectorAll('.lstm-notebooks-chart')].every(c => c.querySelector('svg.main-svg'))
                    && [...document.querySelectorAll('.math')].every(m => m.querySelector('.katex'))
                    && [...document.images].every(i => i.complete);
                  const started = Date.now();
                  (function poll() { if (done()) resolve(true); else if (Date.now() - started > 15000) resolve(false); else setTimeout(poll, 100); })();
                })
                """);
            var charts = await visit.Page.Locator(".lstm-notebooks-chart").CountAsync();
            var drawn = await visit.Page.Locator(".lstm-notebooks-chart:has(svg.main-svg)").CountAsync();
            var mathElements = await visit.Page.Locator(".math").CountAsync();
            var typeset = await visit.Page.Locator(".math:has(.katex)").CountAsync();
            Assert.True(settled, $"{name}: {drawn} of {charts} charts drawn, {typeset} of {mathElements} equations typeset; {string.Join("; ", visit.Problems)}");
            Assert.Equal((charts, mathElements), (drawn, typeset));
            if (name != "index.html") Assert.True(charts > 0, $"{name} shows no chart");
            if (name.StartsWith("02-", StringComparison.Ordinal)) Assert.True(typeset > 10, $"{name}: only {typeset} equations");
            var images = await visit.Page.EvaluateAsync<int[]>("() => [document.images.length, [...document.images].filter(i => i.naturalWidth > 0).length]");
            Assert.True(images[0] == images[1], $"{name}: {images[1]} of {images[0]} images shown");
            if (name.StartsWith("02-", StringComparison.Ordinal)) Assert.True(images[0] > 0, $"{name} shows no figure");

            var prose = await visit.Page.Locator("section.markdown").AllInnerTextsAsync();
            Assert.DoesNotContain(prose, t => t.Contains("$$") || t.Contains("\\(") || t.Contains("\\["));

            await visit.Page.ScreenshotAsync(new() { Path = Path.Combine(book.ScreenshotDirectory, Path.ChangeExtension(name, ".png")), FullPage = true });
            Assert.True(visit.Problems.Count == 0, $"{name}: {string.Join("; ", visit.Problems)}");   // also catches late errors
            await visit.Page.CloseAsync();
        }
    }

    [Fact]
    public async Task The_index_lists_the_chapters_in_order_with_their_status_and_its_links_resolve()
    {
        await using var session = await BrowserSession.StartAsync();
        var index = await session.VisitAsync(Path.Combine(book.Directory, "index.html"));
        var links = await index.Page.Locator("table.index a").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href'))");
        Assert.Equal(Chapter.All.Select(p => Path.ChangeExtension(Path.GetFileName(p), ".html")), links);
        Assert.Equal(Chapter.All.Count(), await index.Page.Locator("tr.passed").CountAsync());

        foreach (var link in links)
        {
            var target = Path.Combine(book.Directory, link);
            Assert.True(File.Exists(target), link);
            var visit = await session.VisitAsync(target);
            Assert.Empty(visit.Problems);
            Assert.StartsWith("Chapter ", await visit.Page.TitleAsync());
            await visit.Page.CloseAsync();
        }
    }
}

/// <summary>A headless Chromium that records console errors, page errors, failed requests and any network access.</summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static async Task<BrowserSession> StartAsync()
    {
        var executable = SystemChromium.Locate();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        return new BrowserSession(playwright, browser);
    }

    public async Task<(IPage Page, List<string> Problems)> VisitAsync(string file)
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1100, Height = 900 } });
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") problems.Add($"console error: {m.Text}"); };
        page.PageError += (_, e) => problems.Add($"page error: {e}");
        page.RequestFailed += (_, r) => problems.Add($"failed request: {r.Url} ({r.Failure})");
        page.Request += (_, r) => { if (!r.Url.StartsWith("file://", StringComparison.Ordinal) && !r.Url.StartsWith("data:", StringComparison.Ordinal)) problems.Add($"network request: {r.Url}"); };
        var response = await page.GotoAsync(new Uri(file).AbsoluteUri, new() { WaitUntil = WaitUntilState.NetworkIdle });
        if (response is { Ok: false }) problems.Add($"{file}: status {response.Status}");
        return (page, problems);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}

/// <summary>
/// The system's Chromium or Chrome: LSTM_NOTEBOOKS_BROWSER, then the usual paths (Debian's chromium, Google Chrome on
/// GitHub's runners), then a browser Playwright installed in its cache (the devcontainer's post-create step).
/// </summary>
internal static class SystemChromium
{
    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable("LSTM_NOTEBOOKS_BROWSER") is { Length: > 0 } configured)
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"LSTM_NOTEBOOKS_BROWSER={configured} does not exist");
        string[] candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
        var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ms-playwright");
        var cached = System.IO.Directory.Exists(cache)
            ? System.IO.Directory.GetDirectories(cache, "chromium-*").OrderDescending()
                .SelectMany(d => new[] { Path.Combine(d, "chrome-linux64", "chrome"), Path.Combine(d, "chrome-linux", "chrome") })
            : [];
        return candidates.Concat(cached).FirstOrDefault(File.Exists)
               ?? throw new FileNotFoundException(
                   "no Chromium or Chrome found for the HTML book's browser test. On Debian or Ubuntu run: "
                   + ".devcontainer/install-browser.sh (as root on Debian it installs the chromium package; elsewhere Playwright's "
                   + "Chromium), or set LSTM_NOTEBOOKS_BROWSER to a Chrome/Chromium executable. Inside the trixie rootfs the "
                   + "rootfs script installs chromium itself.");
    }
}
