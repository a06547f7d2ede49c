namespace LstmNotebooks.Benchmarks;

/// <summary>The benchmark's command line.</summary>
public sealed record BenchSettings(bool Quick, string? Reference, string OutputDirectory, string AirlineCsv, string LibraryDll,
    IReadOnlySet<string>? Only)
{
    public const string Usage = """
        usage: LstmNotebooks.Benchmarks [--quick] [--reference pytorch.json] [--output DIR] [--only GROUP[,GROUP]]
          --quick         fewer epochs and repeats, no L-BFGS step or thread check (a smoke run, not for the README)
          --reference F   PyTorch timings from bench/pytorch/reference.py: adds the ratio table
          --output DIR    where results.md and torchsharp.json go (default artifacts/bench)
          --only GROUPS   training, threads, memory, runner (default all)
        """;

    public static BenchSettings? Parse(string[] args)
    {
        var root = RepositoryRoot();
        var quick = false;
        string? reference = null, only = null;
        var output = Path.Combine(root, "artifacts", "bench");
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--reference": reference = Path.GetFullPath(Value()); break;
                case "--output": output = Path.GetFullPath(Value()); break;
                case "--only": only = Value(); break;
                case "-h" or "--help": Console.WriteLine(Usage); return null;
                default: Console.Error.WriteLine($"unknown argument '{args[i]}'\n{Usage}"); return null;
            }
        }
        if (reference is not null && !File.Exists(reference)) throw new FileNotFoundException($"no PyTorch reference at {reference}", reference);
        var groups = only?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = groups?.Except(["training", "threads", "memory", "runner"]).ToList();
        if (unknown is { Count: > 0 }) throw new ArgumentException($"unknown group(s) {string.Join(", ", unknown)}; use training, threads, memory, runner");
        return new BenchSettings(quick, reference, output, Path.Combine(root, "data", "airline-passengers.csv"),
            Path.Combine(root, "lib", "LstmNotebooks", "bin", "LstmNotebooks.dll"), groups);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LstmNotebooks.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"LstmNotebooks.sln not found above {AppContext.BaseDirectory}");
    }
}
