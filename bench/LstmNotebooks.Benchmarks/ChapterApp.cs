using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookRunner.Kernel;

namespace LstmNotebooks.Benchmarks;

/// <summary>
/// A chapter's generated app (apps/NN-name.cs, the chapter's own cells as a .NET 10 file-based app): built once in
/// Release, then run as a plain .NET program — no notebook, no runner, no Roslyn at run time. What the chapter's
/// TorchSharp code costs in .NET, and so the least a notebook running that code could take: the notebook does the
/// app's work and compiles its cells besides.
/// </summary>
public sealed class ChapterApp
{
    private readonly string _dll;
    private readonly string _name;
    private readonly BenchSettings _settings;

    private ChapterApp(string name, string dll, BenchSettings settings) => (_name, _dll, _settings) = (name, dll, settings);

    /// <summary>Builds apps/NAME.cs in Release (the helper library with it) and finds the program it made.</summary>
    public static ChapterApp Build(ChapterCase chapter, BenchSettings settings)
    {
        var name = Path.GetFileNameWithoutExtension(chapter.Notebook);
        var source = Path.Combine(settings.RepositoryRoot, "apps", name + ".cs");
        if (!File.Exists(source))
            throw new FileNotFoundException($"{chapter.Notebook} has no app at {source}; regenerate the apps: dotnet run --project lib/NotebookRunner -- --export-apps apps", source);
        Console.Error.WriteLine($"  chapter {chapter.Number}: building apps/{name}.cs (Release)…");
        var (code, output) = DotNetCommand(settings, ["build", source, "-c", "Release", "-v:q", "-nologo"]);
        if (code != 0) throw new InvalidOperationException($"dotnet build {source} -c Release exited with {code}:\n{output}");
        var (_, path) = DotNetCommand(settings, ["build", source, "-c", "Release", "-getProperty:TargetPath"]);
        var dll = path.Trim();
        if (!File.Exists(dll)) throw new InvalidOperationException($"dotnet build {source} -getProperty:TargetPath named no built program: '{dll}'");
        return new ChapterApp(name, dll, settings);
    }

    /// <summary>Runs the built app with the chapter's parameters (--name value, as a reader passes them) and returns
    /// its wall time, from starting the process to its exit.</summary>
    public double Run(IReadOnlyDictionary<string, JsonNode?> parameters)
    {
        var start = new ProcessStartInfo(DotNet.HostPath()) { WorkingDirectory = _settings.RepositoryRoot };
        start.ArgumentList.Add(_dll);
        foreach (var (key, value) in parameters)
        {
            start.ArgumentList.Add("--" + key);
            start.ArgumentList.Add(ArgumentText(value));
        }
        start.ArgumentList.Add("--out");
        start.ArgumentList.Add(Path.Combine(_settings.OutputDirectory, "apps", _name));
        var (code, stdout, stderr, wall) = Harness.RunToEnd(start);
        if (code != 0) throw new InvalidOperationException($"apps/{_name}.cs exited with {code}:\n{Harness.Tail(stdout + stderr, 15)}");
        return wall;
    }

    /// <summary>A parameter's value as an app's command line takes it: a string as it is, a number as JSON writes it.</summary>
    private static string ArgumentText(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? "null";

    private static (int Code, string Output) DotNetCommand(BenchSettings settings, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(DotNet.HostPath()) { WorkingDirectory = settings.RepositoryRoot };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        var (code, stdout, stderr, _) = Harness.RunToEnd(start);
        return (code, stdout + stderr);
    }
}
