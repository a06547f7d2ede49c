using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LstmNotebooks.Benchmarks;

/// <summary>Where CPU time is spent, grouped by which code it is in. The order matters: the first match wins.</summary>
public static class CodeKinds
{
    public const string Libtorch = "libtorch";
    public const string Bindings = "bindings";
    public const string Runtime = "runtime";
    public const string CLibraries = "libc";
    public const string OsKernel = "OS kernel";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Libtorch, Bindings, Runtime, CLibraries, OsKernel, Other];

    private static readonly (string Kind, Regex Dso)[] Rules =
    [
        // libtorch itself, and the math libraries its kernels call: the same C++ on both sides.
        (Libtorch, new(@"^(libtorch_cpu|libtorch\.so|libc10|libdnnl|libmkl|libiomp|libgomp|libopenblas|libblas|liblapack|libsleef|libm\.so|libmvec|libgfortran|libtorch_global_deps|libmkl_cpu_dispatch)")),
        // The glue from the host language to libtorch: TorchSharp's C++ shim, PyTorch's pybind11 module.
        (Bindings, new(@"^(libLibTorchSharp|libtorch_python)")),
        // The host language: .NET (the runtime, its JIT and the code it compiled — perf shows that as [unknown] or
        // as the runtime's double-mapped memfd —, ReadyToRun assemblies) or Python (the interpreter, NumPy's C module).
        (Runtime, new(@"^(libcoreclr|libclrjit|libclrgc|libSystem\.|libhostfxr|libhostpolicy|dotnet$|\[unknown\]|\[JIT\]|perf-\d+\.map|memfd:doublemapper|.*\.dll$|python3|libpython|.*\.cpython-|_multiarray)")),
        (CLibraries, new(@"^(libc\.so|ld-linux|libstdc\+\+|libgcc_s|libpthread)")),
        (OsKernel, new(@"^\[(kernel|vdso)")),
    ];

    public static string Of(string dso) => Rules.FirstOrDefault(r => r.Dso.IsMatch(dso)).Kind ?? Other;
}

/// <summary>One process tree's CPU time by kind of code, from perf's samples.</summary>
public sealed record CpuProfile(double WallSeconds, double CpuSeconds, IReadOnlyDictionary<string, double> SecondsByKind,
    IReadOnlyList<(string Dso, double Seconds)> TopObjects)
{
    public double Seconds(string kind) => SecondsByKind.GetValueOrDefault(kind);
}

/// <summary>Both sides of one chapter, profiled in runs of their own after the timed ones.</summary>
public sealed record ChapterProfile(ChapterCase Case, CpuProfile Ours, CpuProfile PyTorch)
{
    /// <summary>Our time if everything outside libtorch took none: libtorch's CPU seconds in our run over PyTorch's CPU
    /// seconds. Both sides run the same libtorch operations for the chapter's algorithm, so no host language, binding or
    /// runner can take the chapter below this ratio.</summary>
    public double FloorRatio => Ours.Seconds(CodeKinds.Libtorch) / PyTorch.CpuSeconds;
}

/// <summary>
/// Runs a command under <c>perf record</c> (software cpu-clock sampling, which works in VMs and containers) and groups
/// its samples by shared object: how much of a chapter's CPU time is libtorch's own work, which both sides share, and
/// how much is the host language, the bindings, the C library and the OS.
/// </summary>
public sealed class CpuProfiler(string outputDirectory)
{
    public const int SamplesPerSecond = 499;

    public CpuProfile Run(string name, ProcessStartInfo command)
    {
        Directory.CreateDirectory(outputDirectory);
        var data = Path.Combine(outputDirectory, name + ".perf.data");
        var record = new ProcessStartInfo("perf") { WorkingDirectory = command.WorkingDirectory };
        foreach (var a in new[] { "record", "-F", SamplesPerSecond.ToString(CultureInfo.InvariantCulture), "-q", "-o", data, "--", command.FileName })
            record.ArgumentList.Add(a);
        foreach (var a in command.ArgumentList) record.ArgumentList.Add(a);
        foreach (var (k, v) in command.Environment) record.Environment[k] = v;

        var clock = Stopwatch.StartNew();
        var (code, _, stderr) = Harness.RunToEnd(record);
        var wall = clock.Elapsed.TotalSeconds;
        if (code != 0) throw new InvalidOperationException($"{name}: perf record … {command.FileName} exited with {code}: {Tail(stderr)}");

        var report = new ProcessStartInfo("perf");
        foreach (var a in new[] { "report", "-i", data, "-n", "--sort", "dso", "--stdio", "-q", "--percent-limit", "0" })
            report.ArgumentList.Add(a);
        var (reportCode, text, reportErrors) = Harness.RunToEnd(report);
        if (reportCode != 0) throw new InvalidOperationException($"{name}: perf report exited with {reportCode}: {Tail(reportErrors)}");
        return Parse(text, wall);
    }

    /// <summary>perf report -n --sort dso lines: "  47.67%   7480  libtorch_cpu.so".</summary>
    public static CpuProfile Parse(string report, double wallSeconds)
    {
        var objects = new List<(string Dso, double Seconds)>();
        foreach (var line in report.Split('\n'))
        {
            var m = Regex.Match(line, @"^\s*[\d.]+%\s+(\d+)\s+(.+?)\s*$");
            if (m.Success) objects.Add((m.Groups[2].Value, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / (double)SamplesPerSecond));
        }
        if (objects.Count == 0) throw new InvalidOperationException($"perf report listed no samples:\n{Tail(report)}");
        var byKind = objects.GroupBy(o => CodeKinds.Of(o.Dso)).ToDictionary(g => g.Key, g => g.Sum(o => o.Seconds));
        return new CpuProfile(wallSeconds, objects.Sum(o => o.Seconds), byKind, objects.OrderByDescending(o => o.Seconds).Take(8).ToList());
    }

    private static string Tail(string text) => string.Join('\n', text.Trim().Split('\n').TakeLast(12));
}
