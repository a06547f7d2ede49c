using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NotebookRunner.Document;
using NotebookRunner.Output;

namespace NotebookRunner.Tests;

/// <summary>--export-saved: cells marked // @save become one compilable static class per notebook.</summary>
public class SavedCodeTests
{
    private static string Export(params string[] cells)
    {
        var dir = Fixtures.NewOutputDirectory();
        var path = Fixtures.WriteNotebook(dir, "07-demo.ipynb", cells);
        return SavedCodeExporter.Export(NotebookReader.Read(path), "Demo.Saved", "notebooks/07-demo.ipynb") ?? "(nothing saved)";
    }

    [Fact]
    public void Saved_types_become_public_and_methods_public_static_in_a_class_named_after_the_notebook()
    {
        var code = Export(
            "using System.Text;",
            "// @save\nrecord Point(int X, int Y);\n\n/// <summary>Twice.</summary>\nint Twice(int x) => 2 * x;\nstatic string Name(Point p) => $\"{p.X},{p.Y}\";",
            "var p = new Point(1, 2);\nTwice(p.X)");
        Assert.Contains("namespace Demo.Saved;", code);
        Assert.Contains("public static class Chapter07", code);
        Assert.Contains("public record Point(int X, int Y);", code);
        Assert.Contains("    /// <summary>Twice.</summary>\n    public static int Twice(int x) => 2 * x;", code);
        Assert.Contains("public static string Name(Point p)", code);
        Assert.Contains("using System.Text;", code);
        Assert.DoesNotContain("// @save", code.Split('\n').Skip(2));                 // the marker line is not copied
        Assert.DoesNotContain("new Point(1, 2)", code);                             // unmarked cells are not saved

        var tree = CSharpSyntaxTree.ParseText(code);
        Assert.DoesNotContain(tree.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void A_notebook_without_saved_cells_gives_nothing_and_other_names_are_pascal_cased()
    {
        var dir = Fixtures.NewOutputDirectory();
        var path = Fixtures.WriteNotebook(dir, "demo.ipynb", ["var x = 1;", "// @saved is not the marker\nvar y = 2;"]);
        Assert.Null(SavedCodeExporter.Export(NotebookReader.Read(path), "Demo", "demo.ipynb"));
        Assert.Equal("WindowingTools", SavedCodeExporter.ClassName("/x/windowing-tools.ipynb"));
        Assert.Equal("Chapter12", SavedCodeExporter.ClassName("/x/12-anything.ipynb"));
    }

    [Theory]
    [InlineData("// @save\nint Twice(int x) => 2 * x;\nvar y = Twice(2);", "cell 1, line 3: a cell marked // @save may hold only type and method declarations; move this variable")]
    [InlineData("// @save\nConsole.WriteLine(1);", "cell 1, line 2: a cell marked // @save may hold only type and method declarations; move this statement")]
    [InlineData("// @save\n#r \"nuget: Newtonsoft.Json, 13.0.1\"\nclass A {}", "cell 1, line 2: a cell marked // @save cannot hold #r, #i or #! directives")]
    [InlineData("// @save\nclass A {", "cell 1, line 2: } expected")]
    public void A_cell_that_cannot_be_saved_is_refused_naming_the_notebook_cell_and_line(string cell, string expected)
    {
        var e = Assert.Throws<SavedCodeException>(() => Export(cell));
        Assert.Contains("07-demo.ipynb: " + expected, e.Message);
    }

    [Fact]
    public async Task The_command_line_writes_the_files_and_needs_a_namespace()
    {
        var dir = Fixtures.NewOutputDirectory();
        var notebook = Fixtures.WriteNotebook(dir, "03-x.ipynb", ["// @save\nclass A {}"]);
        var output = new StringWriter();
        var errors = new StringWriter();
        Assert.Equal(0, await Cli.RunnerCli.RunAsync([notebook, "--export-saved", Path.Combine(dir, "saved"), "--namespace", "My.Code"], output, errors));
        Assert.Contains("public class A {}", File.ReadAllText(Path.Combine(dir, "saved", "Chapter03.cs")));
        Assert.Equal(2, await Cli.RunnerCli.RunAsync([notebook, "--export-saved", Path.Combine(dir, "saved")], output, errors));
        Assert.Contains("--export-saved DIR and --namespace NS go together", errors.ToString());
    }
}
