using System.Text.RegularExpressions;

namespace NotebookRunner.Document;

/// <summary>A kernel directive found in a cell: <c>#r "nuget: …"</c>, <c>#r "path"</c>, <c>#i "nuget: …"</c>, <c>#!name</c>.</summary>
internal abstract record CellDirective(int Line)
{
    public sealed record PackageReference(int Line, string Name, string? Version) : CellDirective(Line);
    public sealed record AssemblyReference(int Line, string Path) : CellDirective(Line);
    public sealed record PackageSource(int Line, string Source) : CellDirective(Line);
    public sealed record KernelSelector(int Line, string Language) : CellDirective(Line);
    public sealed record Time(int Line) : CellDirective(Line);
}

/// <summary>
/// Splits a cell into its directives and the C# code the compiler sees. Directive lines become empty lines, so a
/// compile error's line number is the line in the cell as the reader sees it.
/// </summary>
internal static partial class CellDirectives
{
    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<name>[^,"\s]+)\s*(,\s*(?<version>[^"]*?))?\s*"\s*$""")]
    private static partial Regex NugetReference();

    [GeneratedRegex("""^\s*#r\s+"(?<path>[^"]+)"\s*$""")]
    private static partial Regex FileReference();

    [GeneratedRegex("""^\s*#i\s+"nuget:\s*(?<source>[^"]+?)\s*"\s*$""")]
    private static partial Regex SourceDirective();

    public static (IReadOnlyList<CellDirective> Directives, string Code) Split(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var directives = new List<CellDirective>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            var lineNumber = i + 1;
            if (trimmed.StartsWith("#r", StringComparison.Ordinal) && (trimmed.Length == 2 || char.IsWhiteSpace(trimmed[2])))
            {
                if (NugetReference().Match(line) is { Success: true } nuget)
                    directives.Add(new CellDirective.PackageReference(lineNumber, nuget.Groups["name"].Value,
                        nuget.Groups["version"].Success && nuget.Groups["version"].Value.Length > 0 ? nuget.Groups["version"].Value : null));
                else if (FileReference().Match(line) is { Success: true } file)
                    directives.Add(new CellDirective.AssemblyReference(lineNumber, file.Groups["path"].Value));
                else
                    throw new DirectiveException($"malformed #r directive: {trimmed} (expected #r \"nuget: Name, Version\" or #r \"path/to.dll\")") { Line = lineNumber };
                lines[i] = "";
            }
            else if (trimmed.StartsWith("#i", StringComparison.Ordinal) && (trimmed.Length == 2 || char.IsWhiteSpace(trimmed[2])))
            {
                if (SourceDirective().Match(line) is not { Success: true } src)
                    throw new DirectiveException($"malformed #i directive: {trimmed} (expected #i \"nuget: https://… or a folder\")") { Line = lineNumber };
                directives.Add(new CellDirective.PackageSource(lineNumber, src.Groups["source"].Value));
                lines[i] = "";
            }
            else if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var word = trimmed.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0];
                if (CellLanguage.IsKernelSelector(word, out var language))
                    directives.Add(new CellDirective.KernelSelector(lineNumber, language));
                else if (word == "#!time")
                    directives.Add(new CellDirective.Time(lineNumber));
                else
                    throw new DirectiveException(
                        $"unknown directive '{word}': the runner supports #!csharp and #!time besides #r and #i "
                        + "(other magic commands exist only in the Polyglot kernel)") { Line = lineNumber };
                lines[i] = "";
            }
        }
        return (directives, string.Join('\n', lines));
    }
}

/// <summary>A directive (#r, #i, #!) that cannot be carried out; the kernel reports it with cell and line.</summary>
internal sealed class DirectiveException(string message) : Exception(message)
{
    public int Line { get; init; }
}
