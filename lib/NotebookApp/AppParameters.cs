namespace NotebookApp;

/// <summary>
/// The command line of an exported app: <c>--name value</c> (or <c>--name=value</c>) overrides a variable of the
/// notebook's parameters cell, checked against its type as the runner's <c>--param</c> is; <c>--out DIR</c> chooses
/// where pages go; <c>--help</c> lists the parameters. A mistake ends the app with one line and exit code 2.
/// </summary>
public sealed class AppParameters
{
    private readonly string _app;
    private readonly Dictionary<string, string> _given;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private AppParameters(string app, Dictionary<string, string> given, string? outputDirectory)
    {
        _app = app;
        _given = given;
        OutputDirectory = outputDirectory;
    }

    /// <summary>The folder named by <c>--out</c>, if any.</summary>
    public string? OutputDirectory { get; }

    /// <summary>Reads the command line; the parameters the notebook declares are checked when they are read.</summary>
    public static AppParameters Parse(string app, IReadOnlyList<string> args)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        string? output = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h") { Help = true; continue; }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                Fail(app, $"'{arg}' is not an option; give parameters as --name value");
            var eq = arg.IndexOf('=');
            var name = eq > 0 ? arg[2..eq] : arg[2..];
            string value;
            if (eq > 0) value = arg[(eq + 1)..];
            else if (i + 1 < args.Count) value = args[++i];
            else { Fail(app, $"--{name} needs a value"); return null!; }
            if (name == "out") output = value;
            else if (!given.TryAdd(name, value)) Fail(app, $"--{name} is given twice");
        }
        return new AppParameters(app, given, output);
    }

    /// <summary>True when <c>--help</c> was given: the app lists its parameters (as they are read) and stops.</summary>
    public static bool Help { get; private set; }

    private readonly List<string> _declared = [];

    /// <summary>The value of a parameter: the command line's, converted to the default's type, or the default.</summary>
    public T Get<T>(string name, T defaultValue)
    {
        _declared.Add($"  --{name} {ParameterText.Keyword(typeof(T))} (default {Format(defaultValue)})");
        _used.Add(name);
        if (!_given.TryGetValue(name, out var text)) return defaultValue;
        var value = ParameterText.Parse(text, typeof(T), out var expected);
        if (value is null) Fail(_app, $"parameter '{name}' expects {expected}, got \"{text}\"");
        return (T)value!;
    }

    /// <summary>After the parameters are read: an unknown name is an error, and --help prints the list and stops.</summary>
    public void Check()
    {
        if (Help)
        {
            Console.WriteLine($"{_app}: parameters (override with --name value; --out DIR for the pages)");
            foreach (var line in _declared) Console.WriteLine(line);
            Environment.Exit(0);
        }
        var unknown = _given.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
            Fail(_app, $"parameter '{unknown[0]}' is not declared in the parameters cell; it declares: {string.Join(", ", _used)}");
    }

    private static string Format<T>(T value) => value switch
    {
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };

    private static void Fail(string app, string message)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"{app}: {message}");
        Environment.Exit(2);
    }
}
