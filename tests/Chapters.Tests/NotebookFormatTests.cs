using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NotebookRunner.Document;

namespace Chapters.Tests;

/// <summary>The chapters as files: Polyglot format, committed clean, and following the course's conventions.</summary>
public class NotebookFormatTests
{
    public static TheoryData<string> Chapters => new(Chapter.All.Select(Path.GetFileName)!);

    [Fact]
    public void Chapters_are_named_NN_kebab_title_and_numbered_without_gaps()
    {
        var names = Chapter.All.Select(Path.GetFileName).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Matches(@"^\d{2}-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$", n!));
        Assert.Equal(Enumerable.Range(1, names.Count), names.Select(n => int.Parse(n![..2])));
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void A_chapter_is_in_the_format_VS_Codes_Polyglot_extension_writes_and_has_no_outputs(string fileName)
    {
        var json = JsonNode.Parse(File.ReadAllText(Chapter.PathOf(fileName)))!.AsObject();
        Assert.Equal(4, (int)json["nbformat"]!);
        Assert.Equal(".net-csharp", (string?)json["metadata"]!["kernelspec"]!["name"]);
        Assert.Equal("csharp", (string?)json["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]);
        foreach (var cell in json["cells"]!.AsArray().Select(c => c!.AsObject()))
        {
            Assert.NotNull(cell["id"]);
            if ((string?)cell["cell_type"] != "code") continue;
            Assert.Equal("csharp", (string?)cell["metadata"]!["polyglot_notebook"]!["kernelName"]);
            Assert.Equal("csharp", (string?)cell["metadata"]!["dotnet_interactive"]!["language"]);
            Assert.Empty(cell["outputs"]!.AsArray());
            Assert.Null(cell["execution_count"]);
        }
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void A_chapter_follows_the_course_conventions(string fileName)
    {
        var nb = NotebookReader.Read(Chapter.PathOf(fileName));
        var first = nb.Cells[0];
        Assert.Equal(CellKind.Markdown, first.Kind);
        Assert.StartsWith($"# Chapter {int.Parse(fileName[..2])} — ", first.Source);
        Assert.Contains("**What you will learn**", first.Source);

        var setup = nb.CodeCells.First();
        Assert.Contains("#r \"../lib/LstmNotebooks/bin/LstmNotebooks.dll\"", setup.Source);
        Assert.Contains("TorchRuntime.EnsureAvailable()", setup.Source);
        Assert.True(File.Exists(Path.Combine(Chapter.NotebooksDirectory, "../lib/LstmNotebooks/bin/LstmNotebooks.dll")),
            "the helper library is built where the chapters #r it");

        var parameters = Assert.Single(nb.Cells, c => c.HasTag("parameters"));
        Assert.Equal(CellKind.Code, parameters.Kind);
        Assert.Same(parameters, nb.CodeCells.ElementAt(1)); // the code cell right after the set-up

        // A summary, then the exercises if the chapter has them (d2l's order), and a Markdown cell last, with the way on.
        Assert.Equal(CellKind.Markdown, nb.Cells[^1].Kind);
        var summary = nb.Cells.ToList().FindIndex(c => c.Kind == CellKind.Markdown && c.Source.Contains("## Summary"));
        Assert.True(summary >= 0, "the chapter has no ## Summary");
        var exercises = nb.Cells.ToList().FindIndex(c => c.Kind == CellKind.Markdown && c.Source.Contains("## Exercises"));
        Assert.True(exercises < 0 || exercises > summary, "the exercises come after the summary");
        Assert.True(exercises >= 0 || summary == nb.Cells.Count - 1, "without exercises, the summary is the last cell");
    }

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Package_directives_pin_the_versions_in_Directory_Packages_props(string fileName)
    {
        var pinned = XDocument.Load(Path.Combine(Chapter.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        var nb = NotebookReader.Read(Chapter.PathOf(fileName));
        var directives = nb.CodeCells.SelectMany(c => Regex.Matches(c.Source, "#r \"nuget: *([^,\"]+), *([^\"]+)\"")).ToList();
        Assert.NotEmpty(directives);
        foreach (Match m in directives)
            Assert.Equal(pinned[m.Groups[1].Value.Trim()], m.Groups[2].Value.Trim());
    }
}
