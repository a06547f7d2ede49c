using NotebookRunner.Document;

namespace NotebookRunner.Tests;

public class DocumentTests
{
    [Fact]
    public void Reads_the_polyglot_shape_with_languages_and_tags()
    {
        var nb = NotebookReader.Read(Fixtures.Path_("parameters.ipynb"));
        Assert.Equal("csharp", nb.DefaultLanguage);
        Assert.Equal(3, nb.Cells.Count);
        Assert.Equal(CellKind.Markdown, nb.Cells[0].Kind);
        Assert.Equal("csharp", nb.Cells[1].Language);
        Assert.True(nb.Cells[1].HasTag("parameters"));
        Assert.Equal(2, nb.Cells[1].Number);
        Assert.StartsWith("var epochs = 500_000;\n", nb.Cells[1].Source);
    }

    [Fact]
    public void Reads_the_older_shape_without_ids_or_polyglot_metadata()
    {
        var nb = NotebookReader.Read(Fixtures.Path_("older-shape.ipynb"));
        Assert.Equal(2, nb.NbFormatMinor);
        Assert.Equal("csharp", nb.DefaultLanguage);
        Assert.All(nb.CodeCells, c => Assert.Equal("csharp", c.Language));
        Assert.Equal("# Old notebook\n", nb.Cells[0].Source);
    }

    [Theory]
    [InlineData("{}", null, "fsharp", "fsharp")]
    [InlineData("{\"polyglot_notebook\":{\"kernelName\":\"pwsh\"}}", null, "csharp", "pwsh")]
    [InlineData("{\"dotnet_interactive\":{\"language\":\"C#\"}}", null, "fsharp", "csharp")]
    [InlineData("{\"vscode\":{\"languageId\":\"polyglot-notebook\"}}", "#!fsharp\nprintfn \"x\"", "csharp", "fsharp")]
    [InlineData("{}", "#!c#\nvar x = 1;", "fsharp", "csharp")]
    [InlineData("{}", "var x = 1;", "csharp", "csharp")]
    public void A_cells_language_comes_from_metadata_then_a_selector_line_then_the_default(string metadata, string? source, string notebookDefault, string expected)
    {
        var meta = System.Text.Json.Nodes.JsonNode.Parse(metadata)!.AsObject();
        Assert.Equal(expected, CellLanguage.ForCell(meta, source ?? "", notebookDefault));
    }

    [Theory]
    [InlineData("bad-json.ipynb", "not valid JSON at line")]
    [InlineData("missing-cells.ipynb", "'cells' is missing")]
    [InlineData("nbformat3.ipynb", "nbformat 3 is not supported")]
    [InlineData("not-utf8.ipynb", "not UTF-8 text (invalid byte at offset")]
    [InlineData("wrong-types.ipynb", "cell 1: 'source' must be a string or an array of strings")]
    public void Malformed_files_get_a_clear_error_naming_the_file(string name, string expected)
    {
        var e = Assert.Throws<NotebookFormatException>(() => NotebookReader.Read(Fixtures.Path_(name)));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(Fixtures.Path_(name), e.Message);
    }

    [Fact]
    public void An_empty_file_or_a_missing_file_is_reported()
    {
        Assert.Contains("empty", Assert.Throws<NotebookFormatException>(() => NotebookReader.Parse("x.ipynb", [])).Message);
        Assert.Contains("file not found", Assert.Throws<NotebookFormatException>(() => NotebookReader.Read("/nonexistent/x.ipynb")).Message);
    }
}
