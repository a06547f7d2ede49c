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

/// <summary>
/// One process tree's CPU time by kind of code, from perf's samples. A sample in the C library or the OS kernel counts
/// for the code that called it (libtorch's tensors are allocated by the C library's <c>malloc</c> and
/// <c>posix_memalign</c>); only samples whose caller could not be found stay with the C library or the kernel.
/// </summary>
/// <param name="LibtorchCallsSeconds">The part of libtorch's seconds spent in the C library and the kernel on its behalf.</param>
public sealed record CpuProfile(double WallSeconds, double CpuSeconds, IReadOnlyDictionary<string, double> SecondsByKind,
    double LibtorchCallsSeconds, IReadOnlyList<(string Dso, double Seconds)> TopObjects)
{
    public double Seconds(string kind) => SecondsByKind.GetValueOrDefault(kind);
}

/// <summary>Both sides of one chapter, profiled in runs of their own after the timed ones.</summary>
public sealed record ChapterProfile(ChapterCase Case, CpuProfile Ours, CpuProfile PyTorch)
{
    /// <summary>Our time if everything outside libtorch took none: the CPU seconds our run spent in libtorch (with the
    /// C library and kernel work libtorch called) over PyTorch's CPU seconds. Both sides run the same libtorch
    /// operations for the chapter's algorithm, so no host language, binding or runner can take the chapter below this
    /// ratio.</summary>
    public double FloorRatio => Ours.Seconds(CodeKinds.Libtorch) / PyTorch.CpuSeconds;
}

/// <summary>
/// Runs a command under <c>perf record</c> (software cpu-clock sampling, which works in VMs and containers) with each
/// sample's call stack (DWARF unwinding over a 64 KB copy of the stack: enough to climb out of the C library's
/// allocator into libtorch), and groups its samples by the code they fell in: how much of a chapter's CPU time is
/// libtorch's own work, which both sides share, and how much is the host language, the bindings, the C library and the
/// OS. The perf data (about 6 MB per second of run) is deleted once read.
/// </summary>
public sealed class CpuProfiler(string outputDirectory)
{
    public const int SamplesPerSecond = 99;
    private const int StackBytes = 65528;

    public CpuProfile Run(string name, ProcessStartInfo command)
    {
        Directory.CreateDirectory(outputDirectory);
        var data = Path.Combine(outputDirectory, name + ".perf.data");
        var record = new ProcessStartInfo("perf") { WorkingDirectory = command.WorkingDirectory };
        foreach (var a in new[] { "record", "-F", SamplesPerSecond.ToString(CultureInfo.InvariantCulture),
                     "--call-graph", $"dwarf,{StackBytes}", "-q", "-o", data, "--", command.FileName })
            record.ArgumentList.Add(a);
        foreach (var a in command.ArgumentList) record.ArgumentList.Add(a);
        foreach (var (k, v) in command.Environment) record.Environment[k] = v;

        var clock = Stopwatch.StartNew();
        var (code, _, stderr) = Harness.RunToEnd(record);
        var wall = clock.Elapsed.TotalSeconds;
        if (code != 0) throw new InvalidOperationException($"{name}: perf record … {command.FileName} exited with {code}: {Tail(stderr)}");

        var script = new ProcessStartInfo("perf") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "script", "-i", data, "-F", "comm,tid,ip,sym,dso" })
            script.ArgumentList.Add(a);
        using var process = Process.Start(script) ?? throw new InvalidOperationException("could not start perf script");
        var errors = process.StandardError.ReadToEndAsync();
        var profile = Parse(Lines(process.StandardOutput), wall);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{name}: perf script exited with {process.ExitCode}: {Tail(errors.Result)}");
        File.Delete(data);
        return profile;
    }

    private static IEnumerable<string> Lines(StreamReader reader)
    {
        while (reader.ReadLine() is { } line) yield return line;
    }

    /// <summary>
    /// perf script's samples: a line naming the thread (".NET TP Worker      44"), then one line per frame, innermost
    /// first ("\t    7f…c0 malloc (/usr/lib/x86_64-linux-gnu/libc.so.6)"), then an empty line. Frames perf marks
    /// "(inlined)" belong to the frame after them and are skipped.
    /// </summary>
    public static CpuProfile Parse(IEnumerable<string> script, double wallSeconds)
    {
        var byKind = new Dictionary<string, long>();
        var byLeafObject = new Dictionary<string, long>();
        long samples = 0, libtorchCalls = 0;
        var frames = new List<string>();

        void EndSample()
        {
            if (frames.Count == 0) return;
            samples++;
            var leaf = CodeKinds.Of(frames[0]);
            var owner = leaf;
            if (leaf is CodeKinds.CLibraries or CodeKinds.OsKernel)
            {
                var caller = frames.Skip(1).Select(CodeKinds.Of).FirstOrDefault(k => k is not (CodeKinds.CLibraries or CodeKinds.OsKernel));
                if (caller is not null) owner = caller;
                if (owner == CodeKinds.Libtorch) libtorchCalls++;
            }
            byKind[owner] = byKind.GetValueOrDefault(owner) + 1;
            byLeafObject[frames[0]] = byLeafObject.GetValueOrDefault(frames[0]) + 1;
            frames.Clear();
        }

        foreach (var line in script)
        {
            if (line.Length == 0) { EndSample(); continue; }
            if (!char.IsWhiteSpace(line[0])) { EndSample(); continue; }   // a sample's thread line
            var m = FrameLine.Match(line);
            if (m.Success && m.Groups[1].Value != "inlined") frames.Add(ObjectName(m.Groups[1].Value));
        }
        EndSample();
        if (samples == 0) throw new InvalidOperationException("perf script listed no samples");

        static double Seconds(long count) => count / (double)SamplesPerSecond;
        return new CpuProfile(wallSeconds, Seconds(samples), byKind.ToDictionary(k => k.Key, k => Seconds(k.Value)), Seconds(libtorchCalls),
            byLeafObject.OrderByDescending(o => o.Value).Take(8).Select(o => (o.Key, Seconds(o.Value))).ToList());
    }

    /// <summary>The object a frame is in, as perf report names it: the file name of a path
    /// ("/usr/lib/…/libc.so.6" → "libc.so.6"), or perf's own name ("[kernel.kallsyms]", "[JIT] tid 443").</summary>
    private static string ObjectName(string dso) => dso.StartsWith('/') ? Path.GetFileName(dso) : dso;

    private static readonly Regex FrameLine = new(@"^\s+[0-9a-f]+ .*? \(([^()]*(?:\([^()]*\))?)\)\s*$");

    private static string Tail(string text) => string.Join('\n', text.Trim().Split('\n').TakeLast(12));
}
