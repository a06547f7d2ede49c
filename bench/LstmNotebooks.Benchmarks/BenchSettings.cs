using System.Text.Json.Nodes;

namespace LstmNotebooks.Benchmarks;

/// <summary>The benchmark's command line.</summary>
public sealed record BenchSettings(bool Quick, string OutputDirectory, string RepositoryRoot, string Python, IReadOnlySet<int>? Chapters, bool Runner,
    IReadOnlySet<int>? Profile, int Repeat = 1, bool ReportAgain = false)
{
    public const string Usage = """
        usage: LstmNotebooks.Benchmarks [--quick] [--output DIR] [--python PATH] [--chapters 1,3] [--no-runner] [--profile 3,4] [--repeat N]
               LstmNotebooks.Benchmarks --report-again [--output DIR]
          --quick         both sides at the tests' quick parameters (tests/quick-parameters.json): a smoke run, not for the docs
          --output DIR    where results.md, results.json and the executed notebooks go (default artifacts/bench)
          --python PATH   the Python that has PyTorch (default python3)
          --chapters N,M  only these chapters (default all); the whole-course row needs all of them
          --no-runner     skip what the kernel costs a notebook (start, first cell, restoring TorchSharp, a typical cell)
                          and the least notebook (a process compiling `1 + 1` and loading TorchSharp)
          --profile N,M   after timing them, run these chapters' two sides again under perf record and show where the
                          CPU time goes (libtorch, bindings, .NET or Python, libc, OS) and the floor that proves
          --repeat N      run each chapter's two sides N times, taking turns, and keep each side's fastest run
                          (default 1); on a shared VM one run of the same computation can take twice the next;
                          profiled chapters are profiled N times too, keeping each side's run with the least CPU
          --report-again  measure nothing: write DIR/results.md again from the run's DIR/results.json, with this
                          build's tables (after a change to how they are written, not to what is measured)
        """;

    public static BenchSettings? Parse(string[] args)
    {
        var root = FindRepositoryRoot();
        var quick = false;
        var runner = true;
        var python = "python3";
        var repeat = 1;
        var reportAgain = false;
        HashSet<int>? chapters = null, profile = null;
        var output = Path.Combine(root, "artifacts", "bench");
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--quick": quick = true; break;
                    case "--output": output = Path.GetFullPath(Value()); break;
                    case "--python": python = Value(); break;
                    case "--no-runner": runner = false; break;
                    case "--chapters": chapters = Numbers(args[i], Value()); break;
                    case "--profile": profile = Numbers(args[i], Value()); break;
                    case "--repeat": repeat = RunCount(Value()); break;
                    case "--report-again": reportAgain = true; break;
                    case "-h" or "--help": Console.WriteLine(Usage); return null;
                    default: Console.Error.WriteLine($"unknown argument '{args[i]}'\n{Usage}"); return null;
                }
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{e.Message}\n{Usage}");
            return null;
        }
        if (profile is not null && chapters is not null && !profile.IsSubsetOf(chapters))
        {
            Console.Error.WriteLine($"--profile {string.Join(",", profile)}: only chapters that run ({string.Join(",", chapters)}) can be profiled");
            return null;
        }
        if (reportAgain && (quick || chapters is not null || profile is not null || repeat != 1 || !runner))
        {
            Console.Error.WriteLine("--report-again measures nothing: it takes only --output (the folder of the run's results.json)");
            return null;
        }
        return new BenchSettings(quick, output, root, python, chapters, runner, profile, repeat, reportAgain);
    }

    private static HashSet<int> Numbers(string option, string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => int.TryParse(c, out var n) && ChapterCase.All.Any(k => k.Number == n) ? n
                : throw new ArgumentException($"{option}: '{c}' is not a chapter number (1–{ChapterCase.All.Count})")).ToHashSet();

    private static int RunCount(string value) =>
        int.TryParse(value, out var n) && n is >= 1 and <= 10 ? n
            : throw new ArgumentException($"--repeat: '{value}' is not a number of runs (1–10)");

    public string LibraryDll => Path.Combine(RepositoryRoot, "lib", "LstmNotebooks", "bin", "LstmNotebooks.dll");

    /// <summary>The tests' quick parameters for one notebook (empty at tutorial scale).</summary>
    public Dictionary<string, JsonNode?> ParametersFor(string notebook)
    {
        if (!Quick) return [];
        var all = JsonNode.Parse(File.ReadAllText(QuickParametersFile))!.AsObject();
        return all[notebook] is JsonObject section ? section.ToDictionary(p => p.Key, p => p.Value?.DeepClone()) : [];
    }

    public string QuickParametersFile => Path.Combine(RepositoryRoot, "tests", "quick-parameters.json");

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LstmNotebooks.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"LstmNotebooks.sln not found above {AppContext.BaseDirectory}");
    }
}
