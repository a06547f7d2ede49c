using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LstmNotebooks.Benchmarks;

/// <summary>Where CPU time is spent, grouped by which code it is in. The order matters: the first match wins.</summary>
public static class CodeKinds
{
    public const string Libtorch = "libtorch";
    public const string Bindings = "bindings";
    public const string TorchSharpDotNet = "TorchSharp .NET";
    public const string Runtime = "runtime";
    public const string CLibraries = "libc";
    public const string OsKernel = "OS kernel";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Libtorch, Bindings, TorchSharpDotNet, Runtime, CLibraries, OsKernel, Other];

    /// <summary>The kinds of code the chapters cannot do without: libtorch, and TorchSharp (its C++ shim and its .NET
    /// library — <c>optim.Adam</c>, <c>DataLoader</c>, the module and tensor classes — which the chapters teach).</summary>
    public static readonly IReadOnlyList<string> Required = [Libtorch, Bindings, TorchSharpDotNet];

    private static readonly (string Kind, Regex Dso)[] Rules =
    [
        // libtorch itself, and the math libraries its kernels call: the same C++ on both sides.
        (Libtorch, new(@"^(libtorch_cpu|libtorch\.so|libc10|libdnnl|libmkl|libiomp|libgomp|libopenblas|libblas|liblapack|libsleef|libm\.so|libmvec|libgfortran|libtorch_global_deps|libmkl_cpu_dispatch)")),
        // The glue from the host language to libtorch: TorchSharp's C++ shim, PyTorch's pybind11 module.
        (Bindings, new(@"^(libLibTorchSharp|libtorch_python)")),
        // The host language: .NET (the runtime, its JIT and the code it compiled — perf names that code from the
        // runtime's perf map, or shows it as [unknown] or as the runtime's double-mapped memfd —, ReadyToRun
        // assemblies) or Python (the interpreter, NumPy's C module).
        (Runtime, new(@"^(libcoreclr|libclrjit|libclrgc|libSystem\.|libhostfxr|libhostpolicy|dotnet$|\[unknown\]|\[JIT\]|perf-\d+\.map|memfd:doublemapper|.*\.dll$|python3|libpython|.*\.cpython-|_multiarray)")),
        (CLibraries, new(@"^(libc\.so|ld-linux|libstdc\+\+|libgcc_s|libpthread)")),
        (OsKernel, new(@"^\[(kernel|vdso)")),
    ];

    /// <summary>.NET methods as the runtime's perf map names them: "instance void [TorchSharp] TorchSharp.Modules.Adam::step(…)[OptimizedTier1]".</summary>
    private static readonly Regex ManagedCode = new(@"^(perf-\d+\.map|.*\.dll)$");

    /// <summary>The .NET runtime's own native code: its garbage collector and allocator, cast and P/Invoke helpers.</summary>
    private static readonly Regex RuntimeNativeCode = new(@"^(libcoreclr|libclrgc)");

    public static string Of(string symbol, string dso) =>
        ManagedCode.IsMatch(dso) && symbol.Contains("[TorchSharp] ", StringComparison.Ordinal) ? TorchSharpDotNet : KindOfObject(dso);

    private static string KindOfObject(string dso) => Rules.FirstOrDefault(r => r.Dso.IsMatch(dso)).Kind ?? Other;

    /// <summary>Code that works for whoever called it: the C library (<c>malloc</c>), the OS kernel (page faults), and
    /// the .NET runtime's own native code.</summary>
    public static bool WorksForItsCaller(string dso) =>
        KindOfObject(dso) is CLibraries or OsKernel || RuntimeNativeCode.IsMatch(dso);

    /// <summary>Whose time a sample is: the innermost frame that is not the C library, the kernel or the .NET
    /// runtime's native code working for its caller; when no such frame was found, the outermost one that was.</summary>
    public static string OwnerOf(IReadOnlyList<(string Symbol, string Dso)> frames)
    {
        foreach (var (symbol, dso) in frames)
            if (!WorksForItsCaller(dso)) return Of(symbol, dso);
        return Of(frames[^1].Symbol, frames[^1].Dso);
    }
}

/// <summary>
/// One process tree's CPU time by kind of code, from perf's samples. A sample in the C library, the OS kernel or the
/// .NET runtime's native code counts for the code that called it (libtorch's tensors are allocated by the C library's
/// <c>malloc</c> and <c>posix_memalign</c>; TorchSharp's tensor objects by .NET's allocator and collected by its
/// garbage collector); only samples whose caller could not be found stay where they fell.
/// </summary>
/// <param name="LibtorchCallsSeconds">The part of libtorch's seconds spent in the C library and the kernel on its behalf.</param>
public sealed record CpuProfile(double WallSeconds, double CpuSeconds, IReadOnlyDictionary<string, double> SecondsByKind,
    double LibtorchCallsSeconds, IReadOnlyList<(string Dso, double Seconds)> TopObjects)
{
    public double Seconds(string kind) => SecondsByKind.GetValueOrDefault(kind);

    /// <summary>Several runs' profiles as one: the seconds of each kind added up.</summary>
    public static CpuProfile Total(IReadOnlyCollection<CpuProfile> profiles) => new(
        profiles.Sum(p => p.WallSeconds), profiles.Sum(p => p.CpuSeconds),
        CodeKinds.All.ToDictionary(k => k, k => profiles.Sum(p => p.Seconds(k))), profiles.Sum(p => p.LibtorchCallsSeconds),
        profiles.SelectMany(p => p.TopObjects).GroupBy(o => o.Dso).Select(g => (g.Key, g.Sum(o => o.Seconds)))
            .OrderByDescending(o => o.Item2).Take(8).ToList());
}

/// <summary>Both sides of one chapter, profiled in runs of their own after the timed ones: each side's run with the
/// least CPU time, and every profiled run's CPU seconds in the order taken.</summary>
public sealed record ChapterProfile(ChapterCase Case, CpuProfile Ours, CpuProfile PyTorch,
    IReadOnlyList<double> OursRunsCpuSeconds, IReadOnlyList<double> PyTorchRunsCpuSeconds)
{
    /// <summary>From several profiled runs of each side, each side's run with the least CPU time: the run the VM
    /// disturbed least (a disturbed process spends more CPU on the same work, never less).</summary>
    public static ChapterProfile LeastDisturbed(ChapterCase chapter, IReadOnlyList<CpuProfile> ours, IReadOnlyList<CpuProfile> pytorch) =>
        new(chapter, ours.MinBy(p => p.CpuSeconds) ?? throw new ArgumentException("no profiled run of our side", nameof(ours)),
            pytorch.MinBy(p => p.CpuSeconds) ?? throw new ArgumentException("no profiled run of PyTorch's side", nameof(pytorch)),
            ours.Select(p => p.CpuSeconds).ToList(), pytorch.Select(p => p.CpuSeconds).ToList());

    public double LibtorchFloorRatio => Floors.Libtorch(Ours, PyTorch);
    public double FloorRatio => Floors.LibtorchAndTorchSharp(Ours, PyTorch);
}

/// <summary>How far below PyTorch's time our side could go if some of its code took no time, from the two profiles.</summary>
public static class Floors
{
    /// <summary>Our time if everything but libtorch took none: the CPU seconds our run spent in libtorch (with the C
    /// library and kernel work libtorch called) over PyTorch's CPU seconds. Both sides run the same libtorch
    /// operations for the chapter's algorithm, so no host language, binding or runner can take the chapter below this
    /// ratio.</summary>
    public static double Libtorch(CpuProfile ours, CpuProfile pytorch) => ours.Seconds(CodeKinds.Libtorch) / pytorch.CpuSeconds;

    /// <summary>Our time if everything but the code the chapter must call took none: libtorch and TorchSharp (its C++
    /// shim and its .NET library, with the work they called) over PyTorch's CPU seconds. The chapters teach
    /// TorchSharp's own API — <c>optim.Adam</c>, <c>DataLoader</c>, <c>nn.LSTM</c> — so no runner, no change to the
    /// chapter's own C# and no faster host can take a chapter below this ratio while it teaches the same thing.</summary>
    public static double LibtorchAndTorchSharp(CpuProfile ours, CpuProfile pytorch) => CodeKinds.Required.Sum(ours.Seconds) / pytorch.CpuSeconds;
}

/// <summary>
/// Runs a command under <c>perf record</c> (software cpu-clock sampling, which works in VMs and containers) with each
/// sample's call stack (DWARF unwinding over a 64 KB copy of the stack: enough to climb out of the C library's
/// allocator into libtorch), and groups its samples by the code they fell in: how much of a chapter's CPU time is
/// libtorch's own work, which both sides share, and how much is the host language, the bindings, the C library and the
/// OS. A .NET process is asked for a perf map (<c>DOTNET_PerfMapEnabled=3</c>, with write-xor-execute off so that its
/// compiled code sits in plain anonymous memory, where perf looks the map up) so that TorchSharp's .NET methods are
/// told from the runner's and Roslyn's. The perf data (about 6 MB per second of run) and the perf maps are deleted
/// once read.
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
        record.Environment["DOTNET_PerfMapEnabled"] = "3";
        record.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        var mapsBefore = PerfMaps().ToHashSet();

        var (code, _, stderr, wall) = Harness.RunToEnd(record);
        if (code != 0) throw new InvalidOperationException($"{name}: perf record … {command.FileName} exited with {code}: {Harness.Tail(stderr, 12)}");

        var script = new ProcessStartInfo("perf") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "script", "-i", data, "-F", "comm,tid,ip,sym,dso" })
            script.ArgumentList.Add(a);
        using var process = Process.Start(script) ?? throw new InvalidOperationException("could not start perf script");
        var errors = process.StandardError.ReadToEndAsync();
        var profile = Parse(Lines(process.StandardOutput), wall);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{name}: perf script exited with {process.ExitCode}: {Harness.Tail(errors.Result, 12)}");
        File.Delete(data);
        foreach (var map in PerfMaps().Where(m => !mapsBefore.Contains(m))) File.Delete(map);
        return profile;
    }

    /// <summary>The perf maps processes have written: /tmp/perf-PID.map, the one place perf looks.</summary>
    private static IEnumerable<string> PerfMaps() => Directory.EnumerateFiles("/tmp", "perf-*.map");

    private static IEnumerable<string> Lines(StreamReader reader)
    {
        while (reader.ReadLine() is { } line) yield return line;
    }

    /// <summary>
    /// perf script's samples: a line naming the thread (".NET TP Worker      44"), then one line per frame, innermost
    /// first ("\t    7f…c0 malloc (/usr/lib/x86_64-linux-gnu/libc.so.6)"), then an empty line. Frames perf marks
    /// "(inlined)" belong to the frame after them and are skipped. Each sample counts for its owner
    /// (<see cref="CodeKinds.OwnerOf"/>).
    /// </summary>
    public static CpuProfile Parse(IEnumerable<string> script, double wallSeconds)
    {
        var byKind = new Dictionary<string, long>();
        var byLeafObject = new Dictionary<string, long>();
        long samples = 0, libtorchCalls = 0;
        var frames = new List<(string Symbol, string Dso)>();

        void EndSample()
        {
            if (frames.Count == 0) return;
            samples++;
            var owner = CodeKinds.OwnerOf(frames);
            if (owner == CodeKinds.Libtorch && CodeKinds.WorksForItsCaller(frames[0].Dso)) libtorchCalls++;
            byKind[owner] = byKind.GetValueOrDefault(owner) + 1;
            byLeafObject[frames[0].Dso] = byLeafObject.GetValueOrDefault(frames[0].Dso) + 1;
            frames.Clear();
        }

        foreach (var line in script)
        {
            if (line.Length == 0) { EndSample(); continue; }
            if (!char.IsWhiteSpace(line[0])) { EndSample(); continue; }   // a sample's thread line
            var m = FrameLine.Match(line);
            if (m.Success && m.Groups[2].Value != "inlined") frames.Add((m.Groups[1].Value, ObjectName(m.Groups[2].Value)));
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

    private static readonly Regex FrameLine = new(@"^\s+[0-9a-f]+ (.*?) \(([^()]*(?:\([^()]*\))?)\)\s*$");
}
