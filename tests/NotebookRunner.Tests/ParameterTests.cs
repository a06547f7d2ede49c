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
        var source = NotebookParameters.BuildInjectedSource(Notebook, ParametersCell, new Dictionary<string, ParameterOverride>
        {
            ["epochs"] = ParameterOverride.Text("1_000"),
            ["learningRate"] = ParameterOverride.Text("2"),
            ["label"] = ParameterOverride.Json(JsonValue.Create("say \"hi\"\n"), "p.json"),
            ["quick"] = ParameterOverride.Json(JsonValue.Create(true), "p.json"),
            ["seed"] = ParameterOverride.Json(JsonValue.Create(7), "p.json"),
            ["scale"] = ParameterOverride.Text("0.25"),
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
    [InlineData("nope", "3", "parameter 'nope' (from --param) is not declared")]
    public void Bad_overrides_are_errors_that_say_what_was_expected(string name, string value, string expected)
    {
        var e = Assert.Throws<ParameterException>(() => NotebookParameters.BuildInjectedSource(Notebook, ParametersCell,
            new Dictionary<string, ParameterOverride> { [name] = ParameterOverride.Text(value) }));
        Assert.Contains(expected, e.Message);
        Assert.Contains(Notebook.Path, e.Message);
    }

    [Theory]
    [InlineData("epochs", "\"10\"", "parameter 'epochs' expects a whole number (int), got \"10\" (from quick.json)")]
    [InlineData("learningRate", "\"0.5\"", "parameter 'learningRate' expects a number (double), got \"0.5\" (from quick.json)")]
    [InlineData("quick", "\"true\"", "parameter 'quick' expects true or false, got \"true\" (from quick.json)")]
    [InlineData("label", "3", "parameter 'label' expects a string, got 3 (from quick.json)")]
    public void A_params_file_value_keeps_its_json_type_and_a_mismatch_names_the_parameter_and_the_file(string name, string json, string expected)
    {
        var e = Assert.Throws<ParameterException>(() => NotebookParameters.BuildInjectedSource(Notebook, ParametersCell,
            new Dictionary<string, ParameterOverride> { [name] = ParameterOverride.Json(JsonNode.Parse(json), "quick.json") }));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void An_unknown_parameter_lists_what_the_notebook_declares()
    {
        var e = Assert.Throws<ParameterException>(() => NotebookParameters.BuildInjectedSource(Notebook, ParametersCell,
            new Dictionary<string, ParameterOverride> { ["epoch"] = ParameterOverride.Text("1") }));
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
        Assert.True(v.IsText);
        Assert.Equal(value, v.Value!.GetValue<string>());
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=3")]
    [InlineData("2x=3")]
    public void Malformed_assignments_are_rejected(string text) =>
        Assert.Throws<ParameterException>(() => NotebookParameters.ParseAssignment(text));
}
