using System.Text.Json.Nodes;
using NotebookRunner.Document;
using NotebookRunner.Parameters;

namespace NotebookRunner.Tests;

public class ParameterTests
{
    private static readonly Notebook Notebook = NotebookReader.Read(Fixtures.Path_("parameters.ipynb"));
    private static NotebookCell ParametersCell => NotebookParameters.FindParametersCell(Notebook)!;

    [Fact]
    public void Declared_parameters_take_the_type_of_their_default()
    {
        var declared = NotebookParameters.Declared(ParametersCell).ToDictionary(p => p.Name, p => p.Type);
        Assert.Equal(ParameterType.Int, declared["epochs"]);
        Assert.Equal(ParameterType.Double, declared["learningRate"]);
        Assert.Equal(ParameterType.String, declared["label"]);
        Assert.Equal(ParameterType.Bool, declared["quick"]);
        Assert.Equal(ParameterType.Long, declared["seed"]);
        Assert.Equal(ParameterType.Float, declared["scale"]);
        Assert.Null(declared["computed"]); // not a literal: cannot be overridden
    }

    [Fact]
    public void Overrides_become_typed_literals()
    {
        var source = NotebookParameters.BuildInjectedSource(Notebook, ParametersCell, new Dictionary<string, JsonNode?>
        {
            ["epochs"] = JsonValue.Create("1_000"),
            ["learningRate"] = JsonValue.Create("2"),
            ["label"] = JsonValue.Create("say \"hi\"\n"),
            ["quick"] = JsonValue.Create(true),
            ["seed"] = JsonValue.Create(7),
            ["scale"] = JsonValue.Create("0.25"),
        });
        Assert.Contains("int epochs = 1000;", source);
        Assert.Contains("double learningRate = 2.0;", source);
        Assert.Contains("string label = \"say \\\"hi\\\"\\n\";", source);
        Assert.Contains("bool quick = true;", source);
        Assert.Contains("long seed = 7L;", source);
        Assert.Contains("float scale = 0.25f;", source);
    }

    [Theory]
    [InlineData("epochs", "ten", "expects a whole number (int)")]
    [InlineData("epochs", "1.5", "expects a whole number (int)")]
    [InlineData("epochs", "99999999999", "fits an int")]
    [InlineData("quick", "yes", "expects true or false")]
    [InlineData("learningRate", "fast", "expects a number (double)")]
    [InlineData("computed", "3", "not a literal of a simple type")]
    [InlineData("nope", "3", "parameter 'nope' is not declared")]
    public void Bad_overrides_are_errors_that_say_what_was_expected(string name, string value, string expected)
    {
        var e = Assert.Throws<ParameterException>(() => NotebookParameters.BuildInjectedSource(Notebook, ParametersCell,
            new Dictionary<string, JsonNode?> { [name] = JsonValue.Create(value) }));
        Assert.Contains(expected, e.Message);
        Assert.Contains(Notebook.Path, e.Message);
    }

    [Fact]
    public void An_unknown_parameter_lists_what_the_notebook_declares()
    {
        var e = Assert.Throws<ParameterException>(() => NotebookParameters.BuildInjectedSource(Notebook, ParametersCell,
            new Dictionary<string, JsonNode?> { ["epoch"] = JsonValue.Create("1") }));
        Assert.Contains("epochs, learningRate, label, quick, seed, scale, computed", e.Message);
    }

    [Fact]
    public void Two_parameters_cells_are_an_error()
    {
        var nb = NotebookReader.Read(Fixtures.Path_("two-parameter-cells.ipynb"));
        var e = Assert.Throws<ParameterException>(() => NotebookParameters.FindParametersCell(nb));
        Assert.Contains("2 cells are tagged 'parameters' (cell 1, cell 2)", e.Message);
    }

    [Theory]
    [InlineData("epochs=10", "epochs", "10")]
    [InlineData("label=a=b", "label", "a=b")]
    public void Command_line_assignments_split_at_the_first_equals_sign(string text, string name, string value)
    {
        var (n, v) = NotebookParameters.ParseAssignment(text);
        Assert.Equal(name, n);
        Assert.Equal(value, v!.GetValue<string>());
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=3")]
    [InlineData("2x=3")]
    public void Malformed_assignments_are_rejected(string text) =>
        Assert.Throws<ParameterException>(() => NotebookParameters.ParseAssignment(text));
}
