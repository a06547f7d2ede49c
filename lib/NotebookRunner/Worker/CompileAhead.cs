using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;
using NotebookRunner.Document;
using NotebookRunner.Execution;

namespace NotebookRunner.Worker;

/// <summary>A cell compiled as a submission: its script (continuing the one before it) and Roslyn's diagnostics.</summary>
internal sealed record CompiledCell(Script<object> Script, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Compiles the cells after the running one on a background thread, while it runs, so that a cell's turn finds it
/// compiled. A cell's compilation depends only on the compilations before it — never on what the cells before it
/// did when they ran — so the chain is the one the cells' turns would build: each cell continues the last cell that
/// compiled. Only cells whose compilation nothing at their turn can change are compiled ahead: C# cells without
/// directives that add references or sources (<c>#r</c>, <c>#i</c>); the run of them stops at the first other cell,
/// which is compiled at its turn, after its directives. Nothing is reported from here: a cell's diagnostics are
/// reported at its turn, as if it had been compiled then.
/// </summary>
internal sealed class CompileAhead(IReadOnlyList<JobCell> cells) : IDisposable
{
    /// <summary>Compiles one cell's code after <c>previous</c> (null: the notebook's first submission).</summary>
    public delegate CompiledCell Compiler(JobCell cell, string code, Script? previous, ScriptOptions options, CancellationToken cancel);

    private readonly Dictionary<int, Task<CompiledCell?>> _ahead = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The cell's compilation if it was compiled ahead (waiting for it if it is being compiled); null if it
    /// was not, or could not be (then its turn compiles it).</summary>
    public async Task<CompiledCell?> TakeAsync(JobCell cell)
    {
        if (!_ahead.Remove(cell.Position, out var compiled)) return null;
        return await compiled.ConfigureAwait(false);
    }

    /// <summary>Starts compiling the cells after <paramref name="current"/>, continuing <paramref name="previous"/>
    /// (the script the next cell would continue at its turn), unless they are already being compiled.</summary>
    public void StartAfter(JobCell current, Script? previous, ScriptOptions options, Compiler compile)
    {
        var next = IndexOf(current) + 1;
        if (next == 0 || next >= cells.Count || _ahead.ContainsKey(cells[next].Position) || _stop.IsCancellationRequested) return;
        var run = new List<(JobCell Cell, string Code, TaskCompletionSource<CompiledCell?> Done)>();
        foreach (var cell in cells.Skip(next))
        {
            if (CodeIfSelfContained(cell) is not { } code) break;
            run.Add((cell, code, new TaskCompletionSource<CompiledCell?>(TaskCreationOptions.RunContinuationsAsynchronously)));
        }
        if (run.Count == 0) return;
        foreach (var (cell, _, done) in run) _ahead[cell.Position] = done.Task;

        var cancel = _stop.Token;
        _ = Task.Run(() =>
        {
            Script? chain = previous;
            var i = 0;
            try
            {
                for (; i < run.Count; i++)
                {
                    var compiled = compile(run[i].Cell, run[i].Code, chain, options, cancel);
                    run[i].Done.SetResult(compiled);
                    if (compiled.Succeeded) chain = compiled.Script;
                }
            }
            catch (Exception)
            {
                // Stopped, or the compiler failed: this cell and the rest are compiled at their turns, where a
                // failure is reported for the cell it belongs to.
                for (; i < run.Count; i++) run[i].Done.TrySetResult(null);
            }
        }, CancellationToken.None);
    }

    /// <summary>The code the compiler sees, for a cell whose compilation nothing at its turn can change; else null.</summary>
    private static string? CodeIfSelfContained(JobCell cell)
    {
        if (cell.Language != CellLanguage.CSharp) return null;
        try
        {
            var (directives, code) = CellDirectives.Split(cell.Source);
            return directives.All(d => d is CellDirective.Time or CellDirective.KernelSelector { Language: CellLanguage.CSharp }) ? code : null;
        }
        catch (DirectiveException)
        {
            return null;
        }
    }

    private int IndexOf(JobCell cell)
    {
        for (var i = 0; i < cells.Count; i++)
            if (cells[i].Position == cell.Position) return i;
        return -1;
    }

    /// <summary>Stops compiling ahead: the notebook has ended (the token stays valid for a compile still running).</summary>
    public void Dispose() => _stop.Cancel();
}
