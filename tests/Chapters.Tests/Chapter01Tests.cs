using LstmNotebooks.Data;
using LstmNotebooks.Runtime;
using NotebookRunner.Host;

namespace Chapters.Tests;

public sealed class Chapter01Run() : ChapterRun("01-naive-mlp-baseline.ipynb",
    new Dictionary<string, object> { ["epochs"] = Epochs, ["logEvery"] = LogEvery, ["seed"] = Seed },
    "loggedEpochs", "trainLosses", "validationLosses", "finalTrainLoss", "finalValidationLoss", "buggyValidationLoss")
{
    public const int Epochs = 3000, LogEvery = 500, Seed = 42;
}

public class Chapter01Tests(Chapter01Run run) : IClassFixture<Chapter01Run>
{
    private readonly NotebookRunResult _r = run.Result;

    [Fact]
    public void Training_loss_falls_by_at_least_90_percent_and_validation_stays_above_it()
    {
        var train = _r.Variable<double[]>("trainLosses");
        Assert.True(train[^1] <= 0.1 * train[0], $"training loss {train[0]} → {train[^1]}");
        Assert.True(_r.Variable<double>("finalValidationLoss") > _r.Variable<double>("finalTrainLoss"));
    }

    [Fact]
    public void Losses_are_logged_at_epoch_1_every_logEvery_epochs_and_at_the_end()
    {
        Assert.Equal([1, 500, 1000, 1500, 2000, 2500, 3000], _r.Variable<int[]>("loggedEpochs"));
    }

    [Fact]
    public void The_shapes_of_the_split_are_printed()
    {
        Assert.Contains("train: x 9×1, y 9×1", _r.Stdout);
        Assert.Contains("validation: x 2×1, y 2×1", _r.Stdout);
    }

    [Fact]
    public void The_validation_bug_note_shows_a_different_number_than_the_correct_check()
    {
        var buggy = _r.Variable<double>("buggyValidationLoss");
        var correct = _r.Variable<double>("finalValidationLoss");
        Assert.True(buggy > 10 * correct, $"bug {buggy} vs correct {correct}");
        Assert.Contains("validation loss against the games (the bug)", _r.Stdout);
    }

    [Fact]
    public void Every_chart_is_displayed_and_progress_was_updated_live()
    {
        Assert.Equal(
            ["Plotly chart \"Minutes played per game after an injury\" with 2 traces",
             "Plotly chart \"Training and validation loss\" with 2 traces",
             "Plotly chart \"The fitted function, inside and beyond the data\" with 3 traces"],
            Chapter.ChartTitles(_r));
        // The kernel gives the updates of a display an id of their own: VS Code shows the first state ("training…") and
        // the updates in one output after it, replaced in place.
        var progress = _r.Outputs.Single(o => o.PlainText?.StartsWith("epoch 3,000/3,000") == true);
        Assert.Equal(6, progress.UpdateCount);
    }

    [Fact]
    public void The_validation_loss_is_printed_as_a_multiple_of_the_training_loss()
    {
        var (train, validation) = (_r.Variable<double>("finalTrainLoss"), _r.Variable<double>("finalValidationLoss"));
        Assert.Contains($"validation loss {validation:F4}, {validation / train:F1}× the training loss", _r.Stdout);
    }

    [Fact]
    public void The_parameter_shapes_and_count_are_printed_for_the_default_hidden_size()
    {
        Assert.Contains("hidden.weight  13 × 1", _r.Stdout);
        Assert.Contains("output.weight  1 × 13", _r.Stdout);
        Assert.Contains(_r.Outputs, o => o.Kind == OutputKind.Result && o.Html?.Contains("<pre>40</pre>", StringComparison.Ordinal) == true);
    }

}

[Trait("Category", Chapter.TutorialScale)]
public class Chapter01TutorialScaleTests
{
    [Fact]
    public async Task At_tutorial_scale_the_model_overfits_the_past()
    {
        var r = await Chapter.RunAsync("01-naive-mlp-baseline.ipynb", new Dictionary<string, object>(),
            "trainLosses", "finalTrainLoss", "finalValidationLoss");
        Assert.True(r.Variable<double>("finalTrainLoss") < 0.5);
        Assert.True(r.Variable<double>("finalValidationLoss") > 5 * r.Variable<double>("finalTrainLoss"));
    }
}
