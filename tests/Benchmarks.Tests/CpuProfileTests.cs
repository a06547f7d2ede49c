using LstmNotebooks.Benchmarks;

namespace Benchmarks.Tests;

/// <summary>perf script's output as the profiler reads it: samples grouped by whose time they are, and the floors.</summary>
public class CpuProfileTests
{
    private const string LibC = "/usr/lib/x86_64-linux-gnu/libc.so.6";
    private const string Libtorch = "/root/.nuget/packages/libtorch-cpu-linux-x64/2.10.0.1/runtimes/linux-x64/native/libtorch_cpu.so";
    private const string Shim = "/root/.nuget/packages/torchsharp/0.107.0/runtimes/linux-x64/native/libLibTorchSharp.so";
    private const string CoreClr = "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libcoreclr.so";
    private const string Jit = "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libclrjit.so";
    private const string PerfMap = "/tmp/perf-34.map";
    private const string AdamStep = "instance void [TorchSharp] TorchSharp.Modules.Adam::<step>b__2_0(class TorchSharp.Modules.Adam/ParamGroup)[OptimizedTier1]";
    private const string RoslynMethod = "instance class Microsoft.CodeAnalysis.SyntaxTree [Microsoft.CodeAnalysis.CSharp] Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree::ParseText(string)[OptimizedTier1]";

    private static string Sample(string thread, params (string Symbol, string Dso)[] frames) =>
        $"{thread}\n" + string.Concat(frames.Select((f, i) => $"\t    7f43{i:x8} {f.Symbol} ({f.Dso})\n")) + "\n";

    private static CpuProfile Parse(params string[] samples) =>
        CpuProfiler.Parse(string.Concat(samples).Split('\n'), wallSeconds: 1);

    private static double Samples(double seconds) => Math.Round(seconds * CpuProfiler.SamplesPerSecond);

    [Fact]
    public void The_C_librarys_allocator_counts_for_libtorch_that_called_it()
    {
        var profile = Parse(Sample(".NET TP Worker      43 ",
            ("_int_malloc", LibC), ("__libc_malloc", LibC), ("__libc_malloc_impl", "inlined"),
            ("at::empty_cpu(c10::ArrayRef<long>)", Libtorch), ("THSTensor_add", Shim)));

        Assert.Equal(1, Samples(profile.Seconds(CodeKinds.Libtorch)));
        Assert.Equal(1, Samples(profile.LibtorchCallsSeconds));
        Assert.Equal(0, Samples(profile.Seconds(CodeKinds.CLibraries)));
    }

    [Fact]
    public void The_runtimes_native_code_counts_for_the_DotNet_method_that_called_it()
    {
        var profile = Parse(
            Sample(".NET TP Worker      43 ", ("[unknown]", CoreClr), ("[unknown]", CoreClr), (AdamStep, PerfMap)),
            Sample(".NET TP Worker      43 ", ("__memset_avx512_unaligned_erms", LibC), ("[unknown]", CoreClr), (RoslynMethod, PerfMap)),
            Sample(".NET TP Worker      43 ", ("[unknown]", CoreClr), ("[unknown]", Jit), ("[unknown]", CoreClr)));

        Assert.Equal(1, Samples(profile.Seconds(CodeKinds.TorchSharpDotNet)));
        Assert.Equal(2, Samples(profile.Seconds(CodeKinds.Runtime)));
    }

    [Fact]
    public void A_sample_whose_caller_was_not_found_stays_with_the_outermost_frame_found()
    {
        var profile = Parse(
            Sample(".NET TP Worker      43 ", ("_int_malloc", LibC)),
            Sample(".NET TP Worker      43 ", ("clear_page_erms", "[kernel.kallsyms]"), ("__memset_avx512_unaligned_erms", LibC)),
            Sample(".NET Finalizer      41 ", ("[unknown]", CoreClr)));

        Assert.Equal(2, Samples(profile.Seconds(CodeKinds.CLibraries)));
        Assert.Equal(1, Samples(profile.Seconds(CodeKinds.Runtime)));
        Assert.Equal(0, Samples(profile.Seconds(CodeKinds.OsKernel)));
        Assert.Equal(0, Samples(profile.LibtorchCallsSeconds));
    }

    [Fact]
    public void DotNet_code_outside_TorchSharp_is_the_runtimes()
    {
        Assert.Equal(CodeKinds.TorchSharpDotNet, CodeKinds.Of(AdamStep, "perf-34.map"));
        Assert.Equal(CodeKinds.Runtime, CodeKinds.Of(RoslynMethod, "perf-34.map"));
        Assert.Equal(CodeKinds.Runtime, CodeKinds.Of("[unknown]", "perf-34.map"));
        Assert.Equal(CodeKinds.Runtime, CodeKinds.Of("[unknown]", "System.Private.CoreLib.dll"));
        // A native library whose symbol merely mentions TorchSharp is not TorchSharp's .NET code.
        Assert.Equal(CodeKinds.Bindings, CodeKinds.Of("[TorchSharp] THSTensor_add", "libLibTorchSharp.so"));
        Assert.Equal(CodeKinds.Runtime, CodeKinds.Of("_PyEval_EvalFrameDefault", "python3.13"));
        Assert.Equal(CodeKinds.Bindings, CodeKinds.Of("[unknown]", "libtorch_python.so"));
    }

    [Fact]
    public void The_floors_divide_our_required_seconds_by_PyTorchs_CPU_seconds()
    {
        var ours = Profile(cpu: 40, (CodeKinds.Libtorch, 20), (CodeKinds.Bindings, 1), (CodeKinds.TorchSharpDotNet, 3), (CodeKinds.Runtime, 16));
        var theirs = Profile(cpu: 50, (CodeKinds.Libtorch, 30), (CodeKinds.Bindings, 5), (CodeKinds.Runtime, 15));

        Assert.Equal(0.40, Floors.Libtorch(ours, theirs), 10);
        Assert.Equal(0.48, Floors.LibtorchAndTorchSharp(ours, theirs), 10);

        var course = CpuProfile.Total([ours, ours]);
        Assert.Equal(80, course.CpuSeconds, 10);
        Assert.Equal(6, course.Seconds(CodeKinds.TorchSharpDotNet), 10);
        Assert.Equal(0.48, Floors.LibtorchAndTorchSharp(course, CpuProfile.Total([theirs, theirs])), 10);
    }

    [Fact]
    public void Several_profiled_runs_keep_each_sides_least_CPU_run_and_list_every_run()
    {
        var chapter = ChapterCase.All[3];
        var ours = new[] { Profile(cpu: 150, (CodeKinds.Libtorch, 140)), Profile(cpu: 120, (CodeKinds.Libtorch, 100)), Profile(cpu: 200, (CodeKinds.Libtorch, 90)) };
        var theirs = new[] { Profile(cpu: 260, (CodeKinds.Libtorch, 240)), Profile(cpu: 180, (CodeKinds.Libtorch, 165)) };

        var profile = ChapterProfile.LeastDisturbed(chapter, ours, theirs);

        // The least CPU, not the least libtorch: a floor comes from one whole, least-disturbed run per side.
        Assert.Same(ours[1], profile.Ours);
        Assert.Same(theirs[1], profile.PyTorch);
        Assert.Equal(100.0 / 180, profile.LibtorchFloorRatio, 10);
        Assert.Equal([150.0, 120, 200], profile.OursRunsCpuSeconds);
        Assert.Equal([260.0, 180], profile.PyTorchRunsCpuSeconds);
        Assert.Throws<ArgumentException>(() => ChapterProfile.LeastDisturbed(chapter, [], theirs));

        var report = new BenchReport { Machine = "test machine", Scale = "test scale" };
        report.Chapters.Add(new ChapterTiming(chapter, 130, 128, 170, 168, 500, "2.6", [], [], [140, 130], [180, 170], [100, 95]));
        report.Profiles.Add(profile);
        var markdown = report.Markdown();
        Assert.Contains("each side run 3 more times under `perf record`, taking turns, and its run with the least CPU time kept", markdown);
        Assert.Contains("| 4 | 140 s, 130 s | 180 s, 170 s | 100 s, 95 s | 150 s, 120 s, 200 s | 260 s, 180 s |", markdown);
        Assert.Contains("| 4 | ours | 120 s |", markdown);
    }

    [Fact]
    public void A_perf_script_without_samples_is_an_error() =>
        Assert.Throws<InvalidOperationException>(() => CpuProfiler.Parse(["", ""], 1));

    private static CpuProfile Profile(double cpu, params (string Kind, double Seconds)[] kinds) =>
        new(cpu, cpu, kinds.ToDictionary(k => k.Kind, k => k.Seconds), 0, []);
}
