using System.Diagnostics;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using NotebookRunner.Kernel;

namespace LstmNotebooks.Benchmarks;

/// <summary>
/// The least any C# notebook that uses TorchSharp costs before its own code: a .NET process that compiles one line
/// with Roslyn (ahead-of-time compiled, as in this program's folder) and creates one TorchSharp tensor, which loads
/// libtorch — no runner, no kernel, no notebook. Against it, Python starting and importing torch: what PyTorch's
/// script pays before its own code. A notebook compiles its cells when they run, so no runner or kernel can take a
/// chapter below this process's time.
/// </summary>
public static class LeastNotebook
{
    /// <summary>This program's argument that makes it the probe process instead of the benchmark.</summary>
    public const string ProbeArgument = "--least-notebook-probe";

    public const int Runs = 5;

    /// <summary>The probe process's work: compile and run <c>1 + 1</c>, then load libtorch with one tensor.</summary>
    public static int Probe()
    {
        var two = CSharpScript.EvaluateAsync<int>("1 + 1").GetAwaiter().GetResult();
        using var one = torch.ones(1);
        return two == 2 && one.item<float>() == 1f ? 0 : 1;
    }

    /// <summary>Times the probe and Python's <c>import torch</c>, each <see cref="Runs"/> times, taking turns, from
    /// starting the process to its exit.</summary>
    public static (Measurement Ours, Measurement PyTorch) Measure(BenchSettings settings)
    {
        var ours = new ProcessStartInfo(DotNet.HostPath()) { WorkingDirectory = settings.RepositoryRoot };
        ours.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, typeof(LeastNotebook).Assembly.GetName().Name + ".dll"));
        ours.ArgumentList.Add(ProbeArgument);
        const string importTorch = "import torch; torch.set_num_threads(1); torch.ones(1)";
        var python = new ProcessStartInfo(settings.Python) { WorkingDirectory = settings.RepositoryRoot };
        foreach (var a in new[] { "-c", importTorch }) python.ArgumentList.Add(a);

        List<double> oursMs = [], pythonMs = [];
        for (var run = 0; run < Runs; run++)
        {
            oursMs.Add(WallMs(ours));
            pythonMs.Add(WallMs(python));
        }
        return (new Measurement("least notebook: .NET, Roslyn, TorchSharp", "process", Harness.Median(oursMs), oursMs.Min(), oursMs.Max(), Runs,
                "a .NET process compiling `1 + 1` with Roslyn and creating one TorchSharp tensor (loading libtorch)"),
            new Measurement("least script: Python, import torch", "process", Harness.Median(pythonMs), pythonMs.Min(), pythonMs.Max(), Runs,
                $"`python3 -c \"{importTorch}\"`"));
    }

    private static double WallMs(ProcessStartInfo start)
    {
        var (code, stdout, stderr, wall) = Harness.RunToEnd(start);
        if (code != 0) throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} exited with {code}: {stdout}{stderr}");
        return wall * 1000;
    }
}
