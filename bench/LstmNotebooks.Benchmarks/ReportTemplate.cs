using System.Text;
using System.Text.RegularExpressions;

namespace LstmNotebooks.Benchmarks;

/// <summary>
/// The report's words, bench/report-template.md (embedded in this assembly), and how they are filled: a small subset of
/// Mustache. <c>{{name}}</c> is replaced by a string value; <c>{{#name}} … {{/name}}</c> is kept when the bool value is
/// true, <c>{{^name}} … {{/name}}</c> when it is false; an HTML comment is the template's own note and is dropped. A tag alone on its line takes the
/// line with it. The lines of a paragraph are joined into one (a line starting with <c>|</c>, or holding only a
/// <c>{{name}}</c> — a table's rows — is not prose), so the template can be wrapped for reading while the Markdown it
/// gives keeps a paragraph on one line. A name the template uses and the values lack is an error, never a blank.
/// </summary>
public static partial class ReportTemplate
{
    /// <summary>The file's name, in the repository's bench/ and as this assembly's resource.</summary>
    public const string FileName = "report-template.md";

    /// <summary>bench/report-template.md as it was built into this assembly.</summary>
    public static string Text { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(ReportTemplate).Assembly.GetManifestResourceStream(FileName)
                           ?? throw new InvalidOperationException($"the benchmark does not embed {FileName}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    public static string Render(string template, IReadOnlyDictionary<string, object> values)
    {
        var text = Comment().Replace(template.ReplaceLineEndings("\n"), "");
        text = StandaloneTag().Replace(text, "$1");
        text = Sections(text, values);
        text = JoinParagraphs(text);
        text = Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v) && v is string s ? s
            : throw new KeyNotFoundException($"{FileName}: {{{{{m.Groups[1].Value}}}}} has no text to put in its place"));
        if (text.Contains("{{", StringComparison.Ordinal))
            throw new FormatException($"{FileName}: a tag is left unfilled near '{text[text.IndexOf("{{", StringComparison.Ordinal)..].Split('\n')[0]}'");
        return BlankLines().Replace(text, "\n\n").Trim('\n') + "\n";
    }

    private static string Sections(string text, IReadOnlyDictionary<string, object> values) =>
        Section().Replace(text, m =>
        {
            var name = m.Groups[2].Value;
            if (!values.TryGetValue(name, out var v) || v is not bool flag)
                throw new KeyNotFoundException($"{FileName}: section {{{{{m.Groups[1].Value}{name}}}}} has no true or false to decide it");
            return flag == (m.Groups[1].Value == "#") ? Sections(m.Groups[3].Value, values) : "";
        });

    private static string JoinParagraphs(string text)
    {
        var output = new StringBuilder();
        var previousIsProse = false;
        foreach (var line in text.Split('\n'))
        {
            var isProse = line.Length > 0 && !line.StartsWith('|') && !LonePlaceholder().IsMatch(line);
            if (isProse && previousIsProse) output.Append(' ').Append(line.Trim());
            else output.Append(output.Length > 0 ? "\n" : "").Append(line);
            previousIsProse = isProse;
        }
        return output.ToString();
    }

    [GeneratedRegex(@"<!--.*?-->\n?", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"^[ \t]*(\{\{[#^/]\w+\}\})[ \t]*\n", RegexOptions.Multiline)]
    private static partial Regex StandaloneTag();

    [GeneratedRegex(@"\{\{([#^])(\w+)\}\}(.*?)\{\{/\2\}\}", RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\{\{\w+\}\}$")]
    private static partial Regex LonePlaceholder();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();
}
