using System.Text.Json.Nodes;
using NotebookRunner.Worker;

namespace NotebookRunner.Tests;

/// <summary>A notebook variable's value as the runner hands it to tests and tools.</summary>
public class VariableSnapshotTests
{
    private sealed record Grid(float[,] Values, int Period);

    [Fact]
    public void A_multi_dimensional_array_keeps_its_shape_as_nested_arrays()
    {
        var json = VariableSnapshot.ToJson(new float[,] { { 1, 2, 3 }, { 4, 5, 6.5f } })!.ToJsonString();
        Assert.Equal("[[1,2,3],[4,5,6.5]]", json);

        var cube = new int[2, 1, 2] { { { 1, 2 } }, { { 3, 4 } } };
        Assert.Equal("[[[1,2]],[[3,4]]]", VariableSnapshot.ToJson(cube)!.ToJsonString());
    }

    [Fact]
    public void A_grid_inside_a_record_is_nested_and_a_one_dimensional_array_stays_flat()
    {
        var node = VariableSnapshot.ToJson(new Grid(new float[,] { { 0.25f }, { -1 } }, 20))!.AsObject();
        Assert.Equal("[[0.25],[-1]]", node["Values"]!.ToJsonString());
        Assert.Equal("20", node["Period"]!.ToJsonString());
        Assert.Equal("[1,2]", VariableSnapshot.ToJson(new[] { 1.0, 2.0 })!.ToJsonString());
    }

    [Fact]
    public void An_empty_grid_is_an_array_of_empty_rows()
    {
        Assert.Equal("[[],[]]", VariableSnapshot.ToJson(new double[2, 0])!.ToJsonString());
        Assert.Equal("[]", VariableSnapshot.ToJson(new double[0, 3])!.ToJsonString());
    }
}
