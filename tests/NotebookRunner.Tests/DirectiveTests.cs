using NotebookRunner.Document;

namespace NotebookRunner.Tests;

public class DirectiveTests
{
    [Fact]
    public void Directives_are_recognised_and_blanked_so_line_numbers_stay()
    {
        var (directives, code) = CellDirectives.Split(
            "#!csharp\n#i \"nuget: https://example.org/v3/index.json\"\n#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"nuget:Newtonsoft.Json\"\n#r \"../x.dll\"\n#!time\nvar x = 1;");
        Assert.Collection(directives,
            d => Assert.Equal(new CellDirective.KernelSelector(1, "csharp"), d),
            d => Assert.Equal(new CellDirective.PackageSource(2, "https://example.org/v3/index.json"), d),
            d => Assert.Equal(new CellDirective.PackageReference(3, "TorchSharp-cpu", "0.107.0"), d),
            d => Assert.Equal(new CellDirective.PackageReference(4, "Newtonsoft.Json", null), d),
            d => Assert.Equal(new CellDirective.AssemblyReference(5, "../x.dll"), d),
            d => Assert.Equal(new CellDirective.Time(6), d));
        Assert.Equal("\n\n\n\n\n\nvar x = 1;", code);
    }

    [Theory]
    [InlineData("#r nuget: X", 1, "malformed #r")]
    [InlineData("var a = 1;\n#!whos", 2, "unknown directive '#!whos'")]
    [InlineData("#i \"https://x\"", 1, "malformed #i")]
    public void Bad_directives_name_their_line(string source, int line, string expected)
    {
        var e = Assert.Throws<DirectiveException>(() => CellDirectives.Split(source));
        Assert.Equal(line, e.Line);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Preprocessor_lines_that_are_not_directives_are_left_to_the_compiler()
    {
        var (directives, code) = CellDirectives.Split("#region setup\nvar rx = 1;\n#endregion");
        Assert.Empty(directives);
        Assert.Equal("#region setup\nvar rx = 1;\n#endregion", code);
    }
}
