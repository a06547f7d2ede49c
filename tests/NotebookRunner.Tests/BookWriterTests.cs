using System.Text.Json.Nodes;
using NotebookRunner.Document;
using NotebookRunner.Host;
using NotebookRunner.Output;

namespace NotebookRunner.Tests;

/// <summary>The HTML book's pages show the images a notebook's prose links to by a relative path.</summary>
public class BookWriterTests
{
    private const string Svg = """<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>""";

    /// <summary>A notebook of one Markdown cell in a folder of its own, with the files named; and its page in another folder.</summary>
    private static (string Html, string NotebookDirectory, string PageDirectory) WritePage(string markdown, params (string Path, string Content)[] files)
    {
        var root = Fixtures.NewOutputDirectory();
        var notebookDirectory = Path.Combine(root, "course", "notebooks");
        var pageDirectory = Path.Combine(root, "book");
        Directory.CreateDirectory(notebookDirectory);
        Directory.CreateDirectory(pageDirectory);
        foreach (var (path, content) in files)
        {
            var full = Path.GetFullPath(Path.Combine(notebookDirectory, path));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        var notebook = NotebookReader.Read(Fixtures.WriteNotebook(notebookDirectory, "01-figures.ipynb", [markdown]));
        var result = new NotebookRunResult(notebook.Path, Path.Combine(pageDirectory, "01-figures.ipynb"), NotebookStatus.Completed,
            DateTimeOffset.Now, TimeSpan.Zero, notebook.Cells.Select(c => new CellResult { Cell = c }).ToList(),
            new Dictionary<string, JsonNode?>(), null);
        var page = BookWriter.WritePage(result, Path.Combine(pageDirectory, "01-figures.html"));
        return (File.ReadAllText(page.PagePath!), notebookDirectory, pageDirectory);
    }

    [Fact]
    public void A_relative_image_in_the_notebooks_folder_is_copied_beside_the_page_under_the_same_path()
    {
        var (html, _, pages) = WritePage("# Figures\n\n![the cell](figures/lstm%20cell.svg)\n\n<img src=\"figures/raw.png\" alt=\"raw\">",
            ("figures/lstm cell.svg", Svg), ("figures/raw.png", "not really a png"));

        Assert.Contains("src=\"figures/lstm%20cell.svg\"", html);
        Assert.Equal(Svg, File.ReadAllText(Path.Combine(pages, "figures", "lstm cell.svg")));
        Assert.Contains("src=\"figures/raw.png\"", html);   // an HTML img in the prose too
        Assert.Equal("not really a png", File.ReadAllText(Path.Combine(pages, "figures", "raw.png")));
    }

    [Fact]
    public void A_relative_image_outside_the_notebooks_folder_is_embedded_in_the_page()
    {
        var (html, _, pages) = WritePage("# Figures\n\n![shared](../shared/logo.svg)", ("../shared/logo.svg", Svg));

        Assert.Contains($"src=\"data:image/svg+xml;base64,{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Svg))}\"", html);
        Assert.False(Directory.Exists(Path.Combine(pages, "..", "shared")), "nothing is written outside the book's folder");
    }

    [Fact]
    public void Web_images_missing_files_and_other_file_types_are_left_as_they_are()
    {
        var (html, _, pages) = WritePage(
            "# Figures\n\n![web](https://example.org/a.svg) ![missing](figures/none.svg) ![text](notes.txt)", ("notes.txt", "text"));

        Assert.Contains("src=\"https://example.org/a.svg\"", html);
        Assert.Contains("src=\"figures/none.svg\"", html);
        Assert.Contains("src=\"notes.txt\"", html);
        Assert.Equal(["01-figures.html"], Directory.GetFileSystemEntries(pages).Select(Path.GetFileName));
    }

    [Fact]
    public void A_page_written_again_carries_the_images_current_version()
    {
        var (_, notebooks, pages) = WritePage("# Figures\n\n![the cell](figures/cell.svg)", ("figures/cell.svg", Svg));
        File.WriteAllText(Path.Combine(notebooks, "figures", "cell.svg"), Svg.Replace("width=\"4\"", "width=\"5\""));
        var notebook = NotebookReader.Read(Path.Combine(notebooks, "01-figures.ipynb"));
        var result = new NotebookRunResult(notebook.Path, null, NotebookStatus.Completed, DateTimeOffset.Now, TimeSpan.Zero,
            notebook.Cells.Select(c => new CellResult { Cell = c }).ToList(), new Dictionary<string, JsonNode?>(), null);

        BookWriter.WritePage(result, Path.Combine(pages, "01-figures.html"));

        Assert.Contains("width=\"5\"", File.ReadAllText(Path.Combine(pages, "figures", "cell.svg")));
    }
}
